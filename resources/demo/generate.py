#!/usr/bin/env python3
"""Generate the bundled demo tenant "Northwind Outfitters" (partner id 5150).

Deterministic: one seeded ``random.Random`` and no clock, so running it twice writes identical
files. It writes the export (``export/``: JSON configuration files, Activity Usage CSVs and a
settings-events file) and, beside it, ``README.md`` and ``pitfalls.json`` which list the
deliberate pitfalls and the ids of the objects that show them (tests rely on that list).

    python resources/demo/generate.py            # rewrite resources/demo/export + README
    python resources/demo/generate.py --out DIR  # write the export elsewhere (no README)

The shapes follow ``aam-formats.md`` §2-§8 and §16 and the sample tenant fixture.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PID = 5150
SEED = 5150
COMPANY = "Northwind Outfitters"
EXPORT_DAY = date(2026, 10, 31)
USAGE_FIRST_DAY = date(2024, 11, 1)
CONFIG_FIRST_DAY = date(2024, 1, 15)
SESSION_SWITCH_DAY = date(2025, 10, 6)  # Target "data collection" Real-Time -> Once Per Session
HOLIDAY_LAUNCH_DAY = date(2025, 11, 24)

# Data sources (DPIDs); 3rd-party ones belong to other partners.
DS_WEB, DS_APP, DS_CRM, DS_AUDIENCES, DS_AEP = 171001, 171002, 171003, 171004, 171005
DS_TRAVEL, DS_GEO = 402201, 402202
PID_TRAVEL, PID_GEO = 9876, 9911
DS_DSP_EXTERNAL = 505050  # the S2S destination's own data source, not part of the export

# Profile merge rules; MR_MISSING is referenced by a segment but absent from the export.
MR_DEFAULT, MR_DEVICE, MR_EXTERNAL, MR_CURRENT_AUTH = 171010, 171011, 171012, 171013
MR_MISSING = 171019

TRAIT_FOLDER_MISSING = 219999  # referenced by a trait, absent from the export
MISSING_TRAIT_SID = 1199999  # referenced by a segment rule, absent from the export
USERS = (7001, 7002, 7003, 7004)


def epoch_ms(day: date, seconds: int = 0) -> int:
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)
    return int(moment.timestamp()) * 1000


# --- catalogue ------------------------------------------------------------------------------
# Trait folders as (name, children, pid or None = the parent's pid). Written as the nested
# `subFolders` tree; "Rain Jackets" sits 6 levels deep on purpose (AAM allows 5).
FolderSpec = tuple[str, list["FolderSpec"], int | None]
TRAIT_FOLDER_TREE: list[FolderSpec] = [
    ("3rd-Party Data", [
        ("Example Data Co - In-Market Travel", [], PID_TRAVEL),
        ("Geo Insights Ltd", [("Regions", [], None)], PID_GEO),
    ], None),
    ("Experience Platform Traits", [], None),
    ("Audience Traits", [], None),
    ("Web Behavior", [
        ("Product Interest", [
            ("Apparel", [
                ("Outerwear", [
                    ("Jackets", [("Rain Jackets", [], None)], None),
                ], None),
                ("Footwear", [("Running", [], None)], None),
            ], None),
            ("Camping Gear", [("Tents", [], None)], None),
            ("Electronics", [], None),
            ("Climbing", [], None),
            ("Snow Sports", [], None),
            ("Water Sports", [], None),
        ], None),
        ("Site Engagement", [("Checkout", [], None), ("Search", [], None)], None),
        ("Acquisition", [
            ("Paid Search", [], None), ("Social", [], None), ("Email", [], None),
        ], None),
    ], None),
    ("Mobile App", [("Engagement", [], None), ("Push Notifications", [], None)], None),
    ("CRM", [
        ("Loyalty", [("Tiers", [], None)], None),
        ("Purchases", [], None),
        ("Preferences", [], None),
        ("Look-alikes", [], None),
    ], None),
    ("Geo", [("Deutschland", [], None), ("日本", [], None)], None),
    ("Archive", [("Legacy 2019", [], None)], None),
]

# Segment folders, written as a flat list with parentFolderId: (name, parent path or "").
SEGMENT_FOLDERS: list[tuple[str, str]] = [
    ("Experience Platform Segments", ""),
    ("Marketing", ""),
    ("Target Activities", "Marketing"),
    ("Homepage Tests", "Marketing/Target Activities"),
    ("Email", "Marketing"),
    ("Paid Media", ""),
    ("Display", "Paid Media"),
    ("Social", "Paid Media"),
    ("Personalization", ""),
    ("Analytics Segments", ""),
    ("Archive", ""),
]

# Products: (key, label, trait folder path). Three web traits and one segment each.
PRODUCT_ROOT = "Web Behavior/Product Interest"
PRODUCTS: list[tuple[str, str, str]] = [
    ("rain_shell", "Rain Shells", "Apparel/Outerwear/Jackets/Rain Jackets"),
    ("packable_rain", "Packable Rain Jackets", "Apparel/Outerwear/Jackets/Rain Jackets"),
    ("softshell", "Softshell Jackets", "Apparel/Outerwear/Jackets"),
    ("down_jacket", "Down Jackets", "Apparel/Outerwear/Jackets"),
    ("hardshell", "Hardshell Jackets", "Apparel/Outerwear/Jackets"),
    ("fleece", "Fleece", "Apparel/Outerwear"),
    ("vest", "Insulated Vests", "Apparel/Outerwear"),
    ("base_layer", "Base Layers", "Apparel"),
    ("hiking_pants", "Hiking Pants", "Apparel"),
    ("hiking_boots", "Hiking Boots", "Apparel/Footwear"),
    ("sandals", "Trail Sandals", "Apparel/Footwear"),
    ("road_shoes", "Road Running Shoes", "Apparel/Footwear/Running"),
    ("trail_shoes", "Trail Running Shoes", "Apparel/Footwear/Running"),
    ("stove", "Camp Stoves", "Camping Gear"),
    ("sleeping_bag", "Sleeping Bags", "Camping Gear"),
    ("backpack", "Backpacks", "Camping Gear"),
    ("tent_2p", "2-Person Tents", "Camping Gear/Tents"),
    ("tent_family", "Family Tents", "Camping Gear/Tents"),
    ("tent_ultralight", "Ultralight Tents", "Camping Gear/Tents"),
    ("gps_watch", "GPS Watches", "Electronics"),
    ("headlamp", "Headlamps", "Electronics"),
    ("action_cam", "Action Cameras", "Electronics"),
    ("harness", "Climbing Harnesses", "Climbing"),
    ("rope", "Climbing Ropes", "Climbing"),
    ("skis", "Touring Skis", "Snow Sports"),
    ("snowboard", "Snowboards", "Snow Sports"),
    ("avalanche", "Avalanche Safety Gear", "Snow Sports"),
    ("kayak", "Kayaks", "Water Sports"),
    ("paddleboard", "Paddleboards", "Water Sports"),
    ("wetsuit", "Wetsuits", "Water Sports"),
    ("goggles", "Ski Goggles", "Snow Sports"),
    ("climb_helmet", "Climbing Helmets", "Climbing"),
    ("trek_poles", "Trekking Poles", "Camping Gear"),
    ("water_filter", "Water Filters", "Camping Gear"),
]

# Rule-based web/app traits by bucket: (name, folder path, rule).
ENGAGEMENT: list[tuple[str, str, str]] = [
    ("Newsletter Page Visitors", "Web Behavior/Site Engagement", 'c_page == "newsletter"'),
    ("Store Locator Users", "Web Behavior/Site Engagement", 'c_page startswith "store-locator"'),
    ("Größentabelle aufgerufen", "Web Behavior/Site Engagement",
     'c_page contains "groessentabelle" OR c_page contains "size-guide"'),
    ("Journal Readers", "Web Behavior/Site Engagement", 'c_section == "journal"'),
    ("Returning Visitors", "Web Behavior/Site Engagement", "c_visit_number > 1"),
    ("Deep Browsers (10+ pages)", "Web Behavior/Site Engagement", "c_pageviews >= 10"),
    ("Video Watchers", "Web Behavior/Site Engagement", 'c_event == "video_complete"'),
    ("Review Writers", "Web Behavior/Site Engagement", 'c_event == "review_submit"'),
    ("Wishlist Savers", "Web Behavior/Site Engagement", 'c_event == "wishlist_add"'),
    ("Logged-in Visitors", "Web Behavior/Site Engagement", 'c_login_state == "1"'),
    ("Mobile Web Visitors", "Web Behavior/Site Engagement", 'h_user-agent contains "Mobile"'),
    ("Checkout Started", "Web Behavior/Site Engagement/Checkout", 'c_event == "scCheckout"'),
    ("High Basket Value", "Web Behavior/Site Engagement/Checkout", "c_cart_value >= 250"),
    ("Mid Basket Value", "Web Behavior/Site Engagement/Checkout",
     "(c_cart_value >= 50.00 AND c_cart_value <= 249.99)"),
    ("Coupon Users", "Web Behavior/Site Engagement/Checkout",
     'c_coupon_code matchesregex "^[A-Z]{4}[0-9]{2}$"'),
    ("Express Shipping Choosers", "Web Behavior/Site Engagement/Checkout",
     'c_shipping == "express"'),
    ("Web Purchasers", "Web Behavior/Site Engagement/Checkout", 'c_event == "purchase"'),
    ("Searched Sale", "Web Behavior/Site Engagement/Search", 'c_search contains "sale"'),
    ("Zero-Result Searches", "Web Behavior/Site Engagement/Search", "c_search_results == 0"),
    ("Searched Gift Ideas", "Web Behavior/Site Engagement/Search",
     'c_search contains "gift" OR c_search contains "geschenk"'),
    ("Searched Brand Names", "Web Behavior/Site Engagement/Search",
     'c_search matchesregex "(?i)north ?wind"'),
]
ACQUISITION: list[tuple[str, str, str]] = [
    ("Google Ads Clickers", "Web Behavior/Acquisition/Paid Search",
     '(c_utm_source == "google") AND (c_utm_medium == "cpc")'),
    ("Bing Ads Clickers", "Web Behavior/Acquisition/Paid Search",
     '(c_utm_source == "bing") AND (c_utm_medium == "cpc")'),
    ("Brand Keyword Clicks", "Web Behavior/Acquisition/Paid Search",
     'c_utm_term contains "northwind"'),
    ("Instagram Referrals", "Web Behavior/Acquisition/Social",
     'h_referer contains "instagram.com"'),
    ("TikTok Referrals", "Web Behavior/Acquisition/Social", 'h_referer contains "tiktok.com"'),
    ("Pinterest Referrals", "Web Behavior/Acquisition/Social", 'h_referer contains "pinterest."'),
    ("Influencer Codes", "Web Behavior/Acquisition/Social", 'c_utm_campaign startswith "infl_"'),
    ("Email Clickers", "Web Behavior/Acquisition/Email", 'c_utm_medium == "email"'),
    ("Abandoned-Cart Email Clickers", "Web Behavior/Acquisition/Email",
     'c_utm_campaign == "cart_reminder"'),
    ("Newsletter Clickers", "Web Behavior/Acquisition/Email", 'c_utm_campaign startswith "nl_"'),
    ("Referred From Search", "Web Behavior/Acquisition",
     'h_referer contains "google." OR h_referer contains "bing.com"'),
    ("Affiliate Visitors", "Web Behavior/Acquisition", 'c_utm_medium == "affiliate"'),
    ("Non-Search Referrals", "Web Behavior/Acquisition",
     '(h_referer contains ".") AND NOT (h_referer contains "google.")'),
]
GEO: list[tuple[str, str, str]] = [
    ("Besucher aus Deutschland", "Geo/Deutschland", 'd_country == "DEU"'),
    ("Besucher aus München", "Geo/Deutschland", 'd_city == "München"'),
    ("Kunden in Österreich und der Schweiz", "Geo/Deutschland",
     'd_country == "AUT" OR d_country == "CHE"'),
    ("日本からの訪問者", "Geo/日本", 'd_country == "JPN"'),
    ("東京の訪問者", "Geo/日本", 'd_city == "Tokyo"'),
    ("ランニングシューズ閲覧者（日本）", "Geo/日本",
     '(d_country == "JPN") AND (c_category == "running")'),
    ("US Visitors", "Geo", 'd_country == "USA"'),
    ("Mountain States", "Geo", 'd_region == "CO" OR d_region == "UT" OR d_region == "MT"'),
    ("Pacific Northwest", "Geo", 'd_region == "WA" OR d_region == "OR"'),
    ("Seattle DMA", "Geo", "d_dma == 819"),
]
APP: list[tuple[str, str, str]] = [
    ("App Installers", "Mobile App/Engagement", 'c_event == "install"'),
    ("Frequent App Launchers", "Mobile App/Engagement", "c_launches >= 3"),
    ("App Version 5.x", "Mobile App/Engagement", 'c_app_version matchesregex "^5\\.[0-9]+"'),
    ("iOS App Users", "Mobile App/Engagement", 'c_os == "iOS"'),
    ("Android App Users", "Mobile App/Engagement", 'c_os == "Android"'),
    ("Trail Map Users", "Mobile App/Engagement", 'c_screen == "trail_map"'),
    ("Gear Checklist Users", "Mobile App/Engagement", 'c_screen == "checklist"'),
    ("In-App Purchasers", "Mobile App/Engagement",
     '(c_event == "purchase") AND (c_channel == "app")'),
    ("App Barcode Scanners", "Mobile App/Engagement", 'c_event == "scan"'),
    ("Store Mode Users", "Mobile App/Engagement", 'c_screen startswith "store_"'),
    ("Dark Mode Fans", "Mobile App/Engagement", 'c_theme == "dark"'),
    ("App Reviewers", "Mobile App/Engagement", 'c_event == "rate_app"'),
    ("Activity Trackers (2h+)", "Mobile App/Engagement", "c_activity_minutes > 120"),
    ("Offline Map Downloaders", "Mobile App/Engagement", 'c_event endswith "map_download"'),
    ("Push Opt-ins", "Mobile App/Push Notifications", 'c_push_optin == "true"'),
    ("Push Opt-outs", "Mobile App/Push Notifications", 'c_push_optin != "true"'),
    ("Push Openers", "Mobile App/Push Notifications", 'c_event == "push_open"'),
    ("Price Drop Alert Subscribers", "Mobile App/Push Notifications",
     'c_alert == "price_drop"'),
    ("Back-in-Stock Subscribers", "Mobile App/Push Notifications", 'c_alert == "restock"'),
    ("Geofence Entrants", "Mobile App/Push Notifications", 'c_event == "geofence_enter"'),
    ("Weekend Deal Openers", "Mobile App/Push Notifications",
     'c_push_campaign startswith "wknd_"'),
    ("Ski Report Readers", "Mobile App/Push Notifications", 'c_push_campaign contains "snow"'),
]
LEGACY: list[tuple[str, str]] = [  # never used by a segment: the "unused traits" pitfall
    ("Legacy: Catalog Requesters", 'c_catalog == "1"'),
    ("Legacy: Flash Player Users", 'h_user-agent contains "Flash"'),
    ("Legacy: 2019 Summer Sale Visitors", 'c_campaign == "summer19"'),
    ("Legacy: Old Checkout Flow", 'c_page startswith "checkout_v1"'),
    ("Legacy: IE11 Visitors", 'h_user-agent contains "Trident/7.0"'),
]
# CRM onboarded traits: (name, folder path, integration code).
CRM: list[tuple[str, str, str]] = [
    ("Loyalty Tier: Bronze", "CRM/Loyalty/Tiers", "crm_tier_bronze"),
    ("Loyalty Tier: Silver", "CRM/Loyalty/Tiers", "crm_tier_silver"),
    ("Loyalty Tier: Gold", "CRM/Loyalty/Tiers", "crm_tier_gold"),
    ("Loyalty Tier: Platinum", "CRM/Loyalty/Tiers", "crm_tier_platinum"),
    ("Loyalty Members", "CRM/Loyalty", "crm_loyalty_member"),
    ("Loyalty Lapsed (12m)", "CRM/Loyalty", "crm_loyalty_lapsed"),
    ("Points Balance 5000+", "CRM/Loyalty", "crm_points_5000"),
    ("Birthday This Month", "CRM/Loyalty", "crm_birthday_month"),
    ("Membership Anniversary This Month", "CRM/Loyalty", "crm_anniversary_month"),
    ("Referral Program Members", "CRM/Loyalty", "crm_referral"),
    ("Purchased in Last 30 Days", "CRM/Purchases", "crm_purchase_30d"),
    ("Purchased in Last 90 Days", "CRM/Purchases", "crm_purchase_90d"),
    ("Purchased in Last 90 Days (old feed)", "CRM/Purchases", "crm_purchase_90d"),  # duplicate IC
    ("Lifetime Value Top 10%", "CRM/Purchases", "crm_ltv_top10"),
    ("Lifetime Value Top 25%", "CRM/Purchases", "crm_ltv_top25"),
    ("One-Time Buyers", "CRM/Purchases", "crm_one_time"),
    ("Repeat Buyers", "CRM/Purchases", "crm_repeat"),
    ("Returned an Item", "CRM/Purchases", "crm_returned"),
    ("Store Purchasers", "CRM/Purchases", "crm_store_buyer"),
    ("Online-Only Purchasers", "CRM/Purchases", "crm_online_only"),
    ("Gift Card Buyers", "CRM/Purchases", "crm_gift_card"),
    ("Rental Customers", "CRM/Purchases", "crm_rental"),
    ("Bought Tents", "CRM/Purchases", "crm_cat_tents"),
    ("Bought Footwear", "CRM/Purchases", "crm_cat_footwear"),
    ("Bought Outerwear", "CRM/Purchases", "crm_cat_outerwear"),
    ("Bought Electronics", "CRM/Purchases", "crm_cat_electronics"),
    ("Bought Climbing Gear", "CRM/Purchases", "crm_cat_climbing"),
    ("Email Subscribers", "CRM/Preferences", "crm_email_optin"),
    ("SMS Subscribers", "CRM/Preferences", "crm_sms_optin"),
    ("Prefers Women's Range", "CRM/Preferences", "crm_pref_women"),
    ("Prefers Men's Range", "CRM/Preferences", "crm_pref_men"),
    ("Prefers Kids' Range", "CRM/Preferences", "crm_pref_kids"),
    ("Do Not Contact", "CRM/Preferences", "crm_dnc"),
    ("Home Store: Seattle Flagship", "CRM/Preferences", "crm_store_sea"),
    ("Home Store: Denver", "CRM/Preferences", "crm_store_den"),
    ("Home Store: Berlin", "CRM/Preferences", "crm_store_ber"),
    ("Home Store: Tokyo", "CRM/Preferences", "crm_store_tyo"),
]
THIRD_PARTY: list[tuple[str, str, int, int, str]] = [
    # (name, folder path, data source, pid, integration code)
    *[(n, "3rd-Party Data/Example Data Co - In-Market Travel", DS_TRAVEL, PID_TRAVEL, ic)
      for n, ic in [("Ski Trip Intenders", "ski"), ("National Park Visitors", "natpark"),
                    ("Adventure Travel Intenders", "adventure"),
                    ("Beach Holiday Intenders", "beach"), ("Road Trip Planners", "roadtrip"),
                    ("Frequent Flyers", "flyer"), ("Camping Trip Planners", "camping"),
                    ("Hut-to-Hut Hikers", "hut2hut")]],
    *[(n, "3rd-Party Data/Geo Insights Ltd/Regions", DS_GEO, PID_GEO, ic)
      for n, ic in [("Mountain Town Residents", "mtn_town"), ("Urban Core Residents", "urban"),
                    ("Suburban Families", "suburban_fam"), ("Lake District Residents", "lakes"),
                    ("Coastal Residents", "coastal"), ("Rural Outdoor Enthusiasts", "rural_out"),
                    ("High-Altitude Postcodes", "altitude"),
                    ("Trailhead Proximity (10 km)", "trailhead10")]],
    ("Weather: Rainy Regions", "3rd-Party Data/Geo Insights Ltd", DS_GEO, PID_GEO, "wx_rain"),
    ("Weather: Snowy Regions", "3rd-Party Data/Geo Insights Ltd", DS_GEO, PID_GEO, "wx_snow"),
]
AEP_AUDIENCES = [
    "Cart Abandoners (7d)", "High-Value Customers", "Newsletter Engaged (30d)",
    "Churn Risk - High", "Store Visitors (Geo)", "Loyalty Platinum Look-alikes",
    "Trail Runners", "Winter Campers", "Mobile-First Shoppers", "Returning Buyers (90d)",
    "Sustainability Interested", "Gift Shoppers Q4",
]
AEP_ORPHAN = "Deprecated: Spring Promo Audience"
ALGO_MODELS: list[tuple[int, str, str]] = [  # (model id, name, CRM integration code of baseline)
    (5201, "Platinum Members Look-alike", "crm_tier_platinum"),
    (5202, "Tent Buyers Look-alike", "crm_cat_tents"),
    (5203, "Repeat Buyers Look-alike", "crm_repeat"),
]
# Segments over themed trait buckets: (bucket, segment folder, names).
BUCKET_SEGMENTS: list[tuple[str, str, list[str]]] = [
    ("engagement", "Personalization", [
        "Engaged Site Browsers", "High-Intent Checkout Visitors", "Content & Community Fans",
        "Search Power Users", "Logged-in Loyal Browsers", "Basket Builders"]),
    ("acquisition", "Paid Media", [
        "Paid Search Prospects", "Social Referral Audience", "Email-Driven Visitors",
        "Affiliate & Referral Mix"]),
    ("geo", "Marketing", ["DACH Shoppers", "日本のショッパー", "US Mountain & Pacific Northwest"]),
    ("app", "Marketing/Target Activities", [
        "Engaged App Users", "App Push Responders", "App Power Users", "In-Store App Users",
        "App Platform Test Cell", "App Alert Subscribers"]),
    ("crm", "Marketing/Email", [
        "Gold & Platinum Members", "Lapsed Loyalty Members", "Recent Purchasers",
        "High Lifetime Value", "Repeat Buyers - Outerwear", "Flagship Store Shoppers",
        "Email-Reachable Customers", "Category Buyers - Camping",
        "Birthday & Anniversary Outreach", "Suppression - Do Not Contact"]),
    ("third-party", "Paid Media/Display", [
        "Ski Trip Intenders x Northwind", "Travel Intenders - Camping",
        "Mountain Town Residents", "Rainy Region Rainwear Push"]),
    ("modelled", "Paid Media/Social", ["Look-alike Prospecting", "Active Audience Baseline"]),
]


@dataclass
class Pitfall:
    key: str
    title: str
    kind: str
    ids: list[int] = field(default_factory=list)


class DemoTenant:
    """Builds every record of the demo tenant in memory (a few hundred objects)."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.next_trait_sid = 1100001
        self.next_segment_sid = 1200001
        self.data_sources: list[dict[str, Any]] = []
        self.trait_folder_tree: list[dict[str, Any]] = []
        self.trait_folder_ids: dict[str, int] = {}
        self.segment_folders: list[dict[str, Any]] = []
        self.segment_folder_ids: dict[str, int] = {}
        self.traits: list[dict[str, Any]] = []
        self.segments: list[dict[str, Any]] = []
        self.destinations: list[dict[str, Any]] = []
        self.algo_models: list[dict[str, Any]] = []
        self.derived_signals: list[dict[str, Any]] = []
        self.buckets: dict[str, list[dict[str, Any]]] = {}
        self.pitfalls: dict[str, Pitfall] = {}

    # -- helpers --------------------------------------------------------------------------
    def pitfall(self, key: str, title: str, kind: str, *ids: int) -> None:
        entry = self.pitfalls.setdefault(key, Pitfall(key, title, kind))
        entry.ids.extend(ids)

    def times(self, earliest: date = CONFIG_FIRST_DAY) -> tuple[int, int]:
        """A creation and a later update time (epoch ms), both before the export day."""
        span = (EXPORT_DAY - earliest).days - 2
        created = earliest + timedelta(days=self.rng.randrange(span))
        updated = created + timedelta(days=self.rng.randrange((EXPORT_DAY - created).days))
        return (epoch_ms(created, self.rng.randrange(86400)),
                epoch_ms(updated, self.rng.randrange(86400)))

    def user(self) -> int:
        return self.rng.choice(USERS)

    # -- data sources and merge rules ------------------------------------------------------
    def build_data_sources(self) -> None:
        specs = [
            (DS_WEB, PID, "Northwind Web", "First-party web signals", "nw_web", "COOKIE",
             True, True, []),
            (DS_APP, PID, "Northwind App", "Mobile app (iOS, Android)", "nw_app", "COOKIE",
             True, False, []),
            (DS_CRM, PID, "Northwind CRM", "Hashed CRM customer IDs (cross-device)", "nw_crm",
             "CROSS_DEVICE", True, False, ["ONSITE_PERSONALIZATION"]),
            (DS_AUDIENCES, PID, f"{COMPANY} Audiences",
             "Automatically generated trait data source", "adobe-provided", "COOKIE",
             False, False, ["PII"]),
            (DS_AEP, PID, "Adobe Experience Platform Audience Sharing", "", "", "COOKIE",
             False, False, []),
            (DS_TRAVEL, PID_TRAVEL, "Example Data Co - In-Market Travel",
             "Third-party Marketplace feed", "exdc_travel", "COOKIE", False, False, ["PII"]),
            (DS_GEO, PID_GEO, "Geo Insights Ltd - Regions", "Third-party Marketplace feed",
             "geoins_regions", "COOKIE", False, False, ["PII"]),
        ]
        for ds_id, pid, name, desc, ic, id_type, unique_traits, unique_segs, restr in specs:
            _created, updated = self.times()
            record: dict[str, Any] = {
                "pid": pid, "name": name, "description": desc, "status": "ACTIVE",
                "integrationCode": ic, "dataExportRestrictions": restr,
                "updateTime": updated, "crUID": 0 if ds_id in (DS_AUDIENCES, DS_AEP) else 7001,
                "upUID": 0 if ds_id in (DS_AUDIENCES, DS_AEP) else self.user(),
                "linkNamespace": False, "type": "GENERAL",
            }
            if id_type == "CROSS_DEVICE":
                record["subIdType"] = "CROSS_DEVICE_PERSON"
            record.update({
                "inboundS2S": ds_id in (DS_CRM, DS_AEP, DS_TRAVEL, DS_GEO),
                "outboundS2S": ds_id in (DS_WEB, DS_CRM, DS_AEP),
                "useAudienceManagerVisitorID": pid != PID,
                "allowDataSharing": pid != PID,
                "masterDataSourceIdProvider": ds_id == DS_CRM,
                "uniqueTraitIntegrationCodes": unique_traits,
                "uniqueSegmentIntegrationCodes": unique_segs,
                "marketingCloudVisitorIdVersion": 0,
                "idType": id_type,
                "allowDeviceGraphSharing": False,
                "supportsAuthenticatedProfile": ds_id == DS_CRM,
                "deviceGraph": False,
                "authenticatedProfileName": "Northwind CRM" if ds_id == DS_CRM else "",
                "deviceGraphName": "",
                "customNamespaceId": ds_id,
                "customNamespaceCode": ic.replace("-", "_") or "aep_audience_sharing",
            })
            if ds_id == DS_CRM:
                record["customerProfileDataRetention"] = 62208000
            record.update({"dataSourceId": ds_id, "containerIds": [], "samplingEnabled": False})
            self.data_sources.append(record)

    @staticmethod
    def merge_rules() -> list[dict[str, Any]]:
        return [
            {"mergeRuleDataSourceId": MR_DEFAULT,
             "name": "Last Authenticated Profiles + Device Profile", "isDefault": True,
             "crossDeviceOption": "Last Authenticated Profiles",
             "crossDeviceDataSourceIds": [DS_CRM], "deviceOption": "Device Profile",
             "dataExportControls": []},
            {"mergeRuleDataSourceId": MR_DEVICE,
             "name": "No Cross-Device Profile + Device Profile", "isDefault": False,
             "crossDeviceOption": "No Cross-Device Profile", "crossDeviceDataSourceIds": [],
             "deviceOption": "Device Profile", "dataExportControls": []},
            {"mergeRuleDataSourceId": MR_EXTERNAL, "name": "External Merge Policy",
             "isDefault": False, "crossDeviceOption": None, "crossDeviceDataSourceIds": [],
             "deviceOption": None, "dataExportControls": [], "external": True},
            {"mergeRuleDataSourceId": MR_CURRENT_AUTH,
             "name": "Current Authenticated Profiles + No Device Profile", "isDefault": False,
             "crossDeviceOption": "Current Authenticated Profiles",
             "crossDeviceDataSourceIds": [DS_CRM], "deviceOption": "No Device Profile",
             "dataExportControls": ["PII"]},
        ]

    # -- folders ----------------------------------------------------------------------------
    def build_trait_folders(self) -> None:
        counter = iter(range(210001, 219000))

        def build(spec: FolderSpec, parent_id: int, parent_path: str, parent_pid: int
                  ) -> dict[str, Any]:
            name, children, own_pid = spec
            folder_id = next(counter)
            path = f"{parent_path}/{name}"
            pid = own_pid if own_pid is not None else parent_pid
            self.trait_folder_ids[path.lstrip("/")] = folder_id
            node: dict[str, Any] = {"folderId": folder_id, "parentFolderId": parent_id,
                                    "pid": pid, "name": name, "path": path}
            if children:
                node["folderCount"] = len(children)
                node["subFolders"] = [build(c, folder_id, path, pid) for c in children]
            return node

        self.trait_folder_tree = [build(spec, 0, "", PID) for spec in TRAIT_FOLDER_TREE]
        deep = self.trait_folder_ids[f"{PRODUCT_ROOT}/Apparel/Outerwear/Jackets/Rain Jackets"]
        self.pitfall("folder-too-deep", "Trait folder chain 6 levels deep (AAM allows 5)",
                     "trait-folder", deep)

    def build_segment_folders(self) -> None:
        for offset, (name, parent) in enumerate(SEGMENT_FOLDERS):
            folder_id = 310001 + offset
            path = f"{parent}/{name}" if parent else name
            self.segment_folder_ids[path] = folder_id
            self.segment_folders.append({
                "folderId": folder_id,
                "parentFolderId": self.segment_folder_ids[parent] if parent else 0,
                "pid": PID, "name": name, "path": f"/{path}",
            })

    # -- traits -----------------------------------------------------------------------------
    def trait_metrics(self) -> dict[str, int]:
        base = int(math.exp(self.rng.uniform(math.log(300), math.log(600_000))))
        metrics: dict[str, int] = {}
        for days, growth in ((7, 1.0), (14, 1.6), (30, 2.5), (60, 3.6)):
            metrics[f"uniques{days}Day"] = int(base * growth * self.rng.uniform(0.95, 1.05))
        for days in (7, 14, 30, 60):
            metrics[f"count{days}Day"] = int(metrics[f"uniques{days}Day"]
                                             * self.rng.uniform(1.3, 3.2))
        return metrics

    def add_trait(self, name: str, folder: str | int, data_source: int, trait_type: str,
                  rule: str | None, *, ic: str = "", description: str = "", pid: int = PID,
                  event_type: int = 2, ttl: int = 120, system: bool = False,
                  bucket: str | None = None, sid: int | None = None,
                  extra: dict[str, Any] | None = None) -> dict[str, Any]:
        if sid is None:
            sid, self.next_trait_sid = self.next_trait_sid, self.next_trait_sid + 1
        folder_id = folder if isinstance(folder, int) else self.trait_folder_ids[folder]
        created, updated = self.times()
        author = 0 if system else self.user()
        record: dict[str, Any] = {
            "sid": sid, "pid": pid, "name": name, "description": description,
            "comments": "", "integrationCode": ic, "traitType": trait_type,
            "type": event_type, "dataSourceId": data_source, "folderId": folder_id,
            "ttl": ttl, "status": "ACTIVE", "backfillStatus": "NONE",
            "crUID": author, "upUID": author, "createTime": created, "updateTime": updated,
        }
        if rule is not None:
            record["traitRule"] = rule
            record["traitRuleVersion"] = self.rng.choice((0, 0, 1, 1, 2, 3, 5))
        record.update(extra or {})
        if not system and self.rng.random() < 0.7:
            record.update(self.trait_metrics())
        self.traits.append(record)
        if bucket:
            self.buckets.setdefault(bucket, []).append(record)
        return record

    def build_product_traits(self) -> None:
        for index, (key, label, sub) in enumerate(PRODUCTS):
            folder = f"{PRODUCT_ROOT}/{sub}"
            viewed_rules = (f'c_product == "{key}"',
                            f'(c_category == "{key}") AND (c_pagetype == "pdp")',
                            f'c_sku startswith "NW-{key[:4].upper()}"',
                            f'c_url matchesregex ".*/{key.replace("_", "-")}/.*"')
            search_term = label.lower().rstrip("s")
            search_rules = (f'c_search contains "{search_term}"',
                            f'c_search matcheswords "{search_term}"')
            bucket = f"product:{key}"
            self.add_trait(f"Viewed {label}", folder, DS_WEB, "RULE_BASED_TRAIT",
                           viewed_rules[index % len(viewed_rules)],
                           ic=f"web_view_{key}", description=f"Viewed a {label} product page",
                           bucket=bucket)
            self.add_trait(f"Added {label} to Cart", folder, DS_WEB, "RULE_BASED_TRAIT",
                           f'(c_product == "{key}") AND (c_event == "scAdd")',
                           ic=f"web_cart_{key}", bucket=bucket, ttl=30)
            name = "ランニングシューズ検索" if key == "road_shoes" else f"Searched {label}"
            self.add_trait(name, folder, DS_WEB, "RULE_BASED_TRAIT",
                           search_rules[index % len(search_rules)], bucket=bucket, ttl=30)

    def build_rule_traits(self) -> None:
        for bucket, rows, source in (("engagement", ENGAGEMENT, DS_WEB),
                                     ("acquisition", ACQUISITION, DS_WEB),
                                     ("geo", GEO, DS_WEB), ("app", APP, DS_APP)):
            for name, folder, rule in rows:
                self.add_trait(name, folder, source, "RULE_BASED_TRAIT", rule, bucket=bucket,
                               ttl=self.rng.choice((30, 60, 120, 120)))
        orphan = self.add_trait("Trail Running Event Registrants", TRAIT_FOLDER_MISSING,
                                DS_WEB, "RULE_BASED_TRAIT", 'c_event == "race_signup"',
                                description="Folder was deleted in AAM", bucket="engagement")
        self.pitfall("trait-folder-missing", "Trait in a folder missing from the export",
                     "trait", orphan["sid"])
        for name, rule in LEGACY:
            legacy = self.add_trait(name, "Archive/Legacy 2019", DS_WEB, "RULE_BASED_TRAIT",
                                    rule, description="Kept for reference")
            self.pitfall("unused-traits", "Traits no segment uses", "trait", legacy["sid"])

    def build_crm_traits(self) -> None:
        seen: dict[str, int] = {}
        for name, folder, ic in CRM:
            trait = self.add_trait(name, folder, DS_CRM, "ON_BOARDED_TRAIT", f'ic == "{ic}"',
                                   ic=ic, event_type=1, ttl=self.rng.choice((0, 120)),
                                   description="From the nightly CRM file", bucket="crm")
            if ic in seen:
                self.pitfall("duplicate-integration-code",
                             "Duplicate trait integration codes in a unique-codes data source",
                             "trait", seen[ic], trait["sid"])
            seen[ic] = trait["sid"]

    def build_modelled_traits(self) -> None:
        crm_by_ic = {t["integrationCode"]: t for t in self.traits
                     if t["dataSourceId"] == DS_CRM}
        for model_id, name, baseline_ic in ALGO_MODELS:
            baseline = crm_by_ic[baseline_ic]
            self.add_trait(f"Look-alike: {baseline['name']}", "CRM/Look-alikes", DS_WEB,
                           "ALGO_TRAIT", None, bucket="modelled",
                           description=f"Algorithmic trait from model {model_id}",
                           extra={"algoModelId": model_id,
                                  "thresholdType": self.rng.choice(("ACCURACY", "REACH")),
                                  "accuracy": self.rng.choice((0.6, 0.7, 0.8))})
            run = epoch_ms(EXPORT_DAY - timedelta(days=self.rng.randrange(1, 6)))
            self.algo_models.append({
                "algoModelId": model_id, "pid": PID, "name": name,
                "description": f"Trait weight model seeded with '{baseline['name']}'",
                "algoTypeId": 1, "intervalSeconds": 604800,
                "lookBackPeriod": self.rng.choice((30, 60, 90)), "status": "ACTIVE",
                "processingStatus": "COMPLETED", "algoModelVersion": self.rng.randrange(3, 40),
                "dataSources": [DS_WEB, DS_APP, DS_CRM], "sid": baseline["sid"],
                "baselineTraitType": "ON_BOARDED_TRAIT", "excludedTraits": [],
                "lastRunStatus": "SUCCESS", "lastRunTimestamp": run,
                "lastSuccessfulRunTimestamp": run,
            })
        for name, ic in (("Active Audience", "active_audience"),
                         ("Northwind Web Data Source Synced Trait", "ds_sync_171001"),
                         ("Northwind App Data Source Synced Trait", "ds_sync_171002")):
            self.add_trait(name, "Audience Traits", DS_AUDIENCES, "ON_BOARDED_TRAIT",
                           f'ic == "{ic}"', ic=ic, event_type=1, system=True,
                           description="Automatically created system trait", bucket="modelled")

    def build_third_party_traits(self) -> None:
        for name, folder, source, pid, ic in THIRD_PARTY:
            self.add_trait(name, folder, source, "ON_BOARDED_TRAIT", f'ic == "{ic}"', ic=ic,
                           pid=pid, event_type=1, description="Third-party trait (read-only)",
                           bucket="third-party")

    # -- AEP audience sharing ---------------------------------------------------------------
    def aep_uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def build_aep_pairs(self) -> None:
        aep_created = EXPORT_DAY - timedelta(days=400)
        for index, name in enumerate([*AEP_AUDIENCES, AEP_ORPHAN]):
            trait_sid = 1300001 + 2 * index
            segid = self.aep_uuid()
            rule_segid, folder = segid, "Experience Platform Traits"
            if index == 2:
                rule_segid = self.aep_uuid()
            if index == 6:
                folder = "Audience Traits"
            trait = self.add_trait(name, folder, DS_AEP, "ON_BOARDED_TRAIT",
                                   f'segid == "{rule_segid}"', ic=segid, event_type=0,
                                   system=True, sid=trait_sid,
                                   description="This is an automatically created trait")
            trait["createTime"] = trait["updateTime"] = self.times(aep_created)[0]
            trait["traitRuleVersion"] = 0
            if index == 2:
                self.pitfall("aep-trait-wrong-expression",
                             "AEP trait whose expression is not segid == its integration code",
                             "trait", trait_sid)
            if index == 6:
                self.pitfall("aep-trait-outside-folder",
                             "AEP trait outside 'Experience Platform Traits'", "trait",
                             trait_sid)
            if name == AEP_ORPHAN:
                self.pitfall("aep-trait-unused", "AEP trait that no segment uses", "trait",
                             trait_sid)
                continue
            segment_ic = self.aep_uuid() if index == 4 else segid
            merge_rule = MR_DEFAULT if index == 5 else MR_EXTERNAL
            segment = self.add_segment(
                name, "Experience Platform Segments", f"({trait_sid}T)", sid=trait_sid + 1,
                ic=segment_ic, data_source=DS_AEP, merge_rule=merge_rule, system=True,
                description="This segment was created in Adobe Experience Platform")
            segment["createTime"] = segment["updateTime"] = trait["createTime"]
            if index == 4:
                self.pitfall("aep-segment-ic-mismatch",
                             "AEP segment whose integration code differs from its trait's",
                             "segment", segment["sid"])
            if index == 5:
                self.pitfall("aep-segment-normal-merge-rule",
                             "AEP segment with a merge rule other than External Merge Policy",
                             "segment", segment["sid"])

    # -- segments ---------------------------------------------------------------------------
    def segment_metrics(self) -> dict[str, int]:
        total = int(math.exp(self.rng.uniform(math.log(2_000), math.log(4_000_000))))
        metrics: dict[str, int] = {}
        for prefix, share in (("instantUniques", self.rng.uniform(0.05, 0.4)),
                              ("totalUniques", 1.0)):
            for days, part in ((1, 0.1), (7, 0.35), (14, 0.5), (30, 0.7), (60, 0.85),
                               (90, 0.93)):
                metrics[f"{prefix}{days}Day"] = int(total * share * part)
            metrics[f"{prefix}Lifetime"] = int(total * share)
        return metrics

    def add_segment(self, name: str, folder: str, rule: str, *, sid: int | None = None,
                    ic: str = "", data_source: int = DS_WEB, merge_rule: int | None = None,
                    status: str = "ACTIVE", description: str = "", system: bool = False
                    ) -> dict[str, Any]:
        if sid is None:
            sid, self.next_segment_sid = self.next_segment_sid, self.next_segment_sid + 1
        if merge_rule is None:
            merge_rule = self.rng.choice((MR_DEFAULT, MR_DEFAULT, MR_DEFAULT, MR_DEVICE,
                                          MR_CURRENT_AUTH))
        created, updated = self.times(date(2024, 3, 1))
        author = 0 if system else self.user()
        record: dict[str, Any] = {
            "sid": sid, "pid": PID, "name": name, "description": description,
            "integrationCode": ic, "dataSourceId": data_source,
            "mergeRuleDataSourceId": merge_rule, "folderId": self.segment_folder_ids[folder],
            "segmentRule": rule, "status": status, "crUID": author, "upUID": author,
            "createTime": created, "updateTime": updated,
        }
        if not system and self.rng.random() < 0.75:
            record.update(self.segment_metrics())
        self.segments.append(record)
        return record

    def rule_from(self, traits: list[dict[str, Any]]) -> str:
        """A segment rule over 1-5 traits, in one of the shapes AAM's builder writes."""
        refs = [f"{t['sid']}T" for t in traits]
        rule_based = [r for r, t in zip(refs, traits, strict=True)
                      if t["traitType"] == "RULE_BASED_TRAIT"]
        shape = self.rng.randrange(6)
        if len(refs) == 1:
            return f"({refs[0]})"
        if shape == 0 and rule_based:
            days = self.rng.choice((7, 14, 30))
            rest = [r for r in refs if r != rule_based[0]]
            return (f"(frequency([{rule_based[0]}] <= {days}D) >= {self.rng.randint(2, 4)})"
                    f" AND ({' OR '.join(rest)})")
        if shape == 1 and len(rule_based) >= 2:
            pair = ", ".join(rule_based[:2])
            rest = [r for r in refs if r not in rule_based[:2]]
            core = f"frequency([{pair}]) >= 2 AND frequency([{pair}]) <= 8"
            return f"({core}) AND NOT ({rest[0]})" if rest else f"({core})"
        if shape == 2 and len(refs) >= 3:
            return f"({' OR '.join(refs[:-1])}) AND NOT ({refs[-1]})"
        if shape == 3:
            return f"({refs[0]}) AND ({' OR '.join(refs[1:])})"
        if shape == 4:
            return " OR ".join(refs)
        half = len(refs) // 2
        return f"({' OR '.join(refs[:half])}) AND ({' OR '.join(refs[half:])})"

    def build_product_segments(self) -> None:
        folders = ("Personalization", "Marketing/Target Activities",
                   "Marketing/Target Activities/Homepage Tests", "Paid Media/Display")
        for index, (key, label, _sub) in enumerate(PRODUCTS):
            viewed, cart, searched = self.buckets[f"product:{key}"]
            v, c, s = (f"{t['sid']}T" for t in (viewed, cart, searched))
            shapes = (f"({v} OR {s}) AND NOT ({c})",
                      f"(frequency([{v}, {s}] <= 14D) >= 3) AND NOT ({c})",
                      f"({c}) AND ({v} OR {s})",
                      f"(frequency([{c}] <= 7D) >= 1) OR ({v} AND {s})")
            self.add_segment(f"{label} Intenders", folders[index % len(folders)],
                             shapes[index % len(shapes)],
                             ic=f"seg_{key}" if index % 3 else "",
                             description=f"Browsed or searched {label.lower()}")

    def build_bucket_segments(self) -> None:
        web_pool = [t for t in self.traits if t["traitType"] == "RULE_BASED_TRAIT"
                    and t["dataSourceId"] == DS_WEB and "Legacy" not in t["name"]]
        for bucket, folder, names in BUCKET_SEGMENTS:
            pool = list(self.buckets[bucket])
            self.rng.shuffle(pool)
            chunks = [pool[i::len(names)] for i in range(len(names))]
            for name, chunk in zip(names, chunks, strict=True):
                picked = list(chunk)
                if bucket in ("crm", "third-party", "modelled") and self.rng.random() < 0.6:
                    picked.append(self.rng.choice(web_pool))  # cross-source audiences
                self.add_segment(name, folder, self.rule_from(picked[:6]))

    def build_pitfall_segments(self) -> None:
        web = self.buckets["engagement"]
        broken = self.add_segment(
            "Checkout Visitors (broken reference)", "Personalization",
            f"({web[11]['sid']}T) AND ({MISSING_TRAIT_SID}T)",
            description="Its second trait was deleted")
        self.pitfall("segment-missing-trait", "Segment referencing a trait missing from the export",
                     "segment", broken["sid"])
        orphan_rule = self.add_segment(
            "Loyalty Win-back (old merge rule)", "Marketing/Email",
            f"({self.buckets['crm'][5]['sid']}T) AND NOT ({self.buckets['crm'][10]['sid']}T)",
            merge_rule=MR_MISSING, description="Merge rule was deleted")
        self.pitfall("segment-missing-merge-rule",
                     "Segment whose merge rule id is not in the export", "segment",
                     orphan_rule["sid"])
        for name in ("Summer Sale 2025 Visitors", "Spring Tent Launch Teaser"):
            self.add_segment(name, "Archive", self.rule_from(self.rng.sample(web, 2)),
                             status="INACTIVE", description="Paused after the campaign")

    # -- destinations -----------------------------------------------------------------------
    def mapping(self, destination_id: int, mapping_id: int, segment: dict[str, Any],
                *, end_date: str | None = None, **extra: Any) -> dict[str, Any]:
        start = max(datetime.fromtimestamp(segment["createTime"] / 1000, tz=UTC).date(),
                    date(2024, 6, 1)) + timedelta(days=self.rng.randrange(1, 30))
        start = min(start, EXPORT_DAY - timedelta(days=10))
        created = epoch_ms(start)
        author = self.user()
        return {
            "destinationMappingId": mapping_id, "destinationId": destination_id,
            "sid": segment["sid"], "traitType": "SEGMENT", "traitValue": 0,
            "elementName": segment["name"], "elementDescription": segment["description"],
            "elementStatus": "active", "startDate": start.isoformat(), "endDate": end_date,
            "priority": extra.pop("priority", None), "traitAlias": extra.pop("traitAlias", None),
            "crUID": author, "upUID": author, "createTime": created, "updateTime": created,
            **extra,
        }

    def build_destinations(self) -> None:
        normal = [s for s in self.segments
                  if s["dataSourceId"] == DS_WEB and s["status"] == "ACTIVE"
                  and s["mergeRuleDataSourceId"] != MR_MISSING]
        aep = [s for s in self.segments if s["dataSourceId"] == DS_AEP]
        picks = self.rng.sample(normal, 30)
        mapping_ids = iter(range(620001, 629999))

        def dest(dest_id: int, name: str, description: str, dest_type: str,
                 **fields: Any) -> dict[str, Any]:
            created, updated = self.times()
            record = {"destinationId": dest_id, "pid": PID, "name": name,
                      "description": description, "destinationType": dest_type,
                      "status": "ACTIVE", "crUID": 7001, "upUID": self.user(),
                      "createTime": created, "updateTime": updated,
                      "domainRestrictions": "all_domains", **fields, "mappings": []}
            self.destinations.append(record)
            return record

        pixel = dest(6101, "Northwind Retargeting Pixel (URL)", "Non-serialized URL destination",
                     "PUSH", dataSourceId=None, startDate=None, endDate=None, tagType=0,
                     serializationEnabled=False, urlFormatString=None,
                     secureUrlFormatString=None, delimiter=None, devicePlatform="BROWSER",
                     mappingAutoFiller="NONE", dataExportLabels=[])
        for segment in picks[:7]:
            url = f"https://pixel.retarget.example/nw?seg={segment['sid']}"
            pixel["mappings"].append(self.mapping(6101, next(mapping_ids), segment, url=url,
                                                  secureUrl=url, tagCode=None,
                                                  secureTagCode=None))
        paused = next(s for s in self.segments if s["status"] == "INACTIVE")
        url = f"https://pixel.retarget.example/nw?seg={paused['sid']}"
        pixel["mappings"].append(self.mapping(6101, next(mapping_ids), paused, url=url,
                                              secureUrl=url, tagCode=None, secureTagCode=None))
        self.pitfall("paused-segment-mapped", "Paused (INACTIVE) segment still mapped",
                     "segment", paused["sid"])

        esp = dest(6102, "Email Service Provider (Serialized URL)",
                   "Serialized URL destination for the ESP", "PUSH", dataSourceId=None,
                   startDate=None, endDate=None, tagType=0, serializationEnabled=True,
                   urlFormatString="https://esp.example/aam?segs=%ALIAS%",
                   secureUrlFormatString="https://esp.example/aam?segs=%ALIAS%",
                   delimiter=",", devicePlatform="ALL", mappingAutoFiller="IC",
                   dataExportLabels=[])
        for segment in picks[7:12]:
            esp["mappings"].append(self.mapping(6102, next(mapping_ids), segment,
                                                traitAlias=segment["integrationCode"]
                                                or f"nw{segment['sid']}"))

        cookie_fields = dict(adServerTypeID=1, domainRestrictions="all_domains",
                             keySeparator="=", valueSeparator=",", transferMethod=0,
                             serializationEnabled=False, maxSize=2048, ttl=0, siteIDs=[],
                             uparamEnabled=False, devicePlatform="ALL", mappingAutoFiller="SID")
        onsite = dest(6103, "Onsite Personalization Cookie", "Key-value cookie", "ADS",
                      cnameDomain="northwind.example", cookieName="nw_aam", singleKey=None,
                      formatType="key_value", dataExportLabels=["ONSITE_PERSONALIZATION"],
                      **cookie_fields)
        for priority, segment in enumerate(picks[12:18], start=1):
            onsite["mappings"].append(self.mapping(6103, next(mapping_ids), segment,
                                                   priority=priority, traitAlias="seg",
                                                   valueAlias=str(segment["sid"])))
        target = dest(6104, "Adobe Target mbox cookie",
                      "Segments for Target through a cookie (set up before Core Services)",
                      "ADS", cnameDomain="northwind.example", cookieName="aam_tnt",
                      singleKey="aamseg", formatType="single_key", dataExportLabels=[],
                      **cookie_fields)
        for priority, segment in enumerate(picks[18:23], start=1):
            target["mappings"].append(self.mapping(6104, next(mapping_ids), segment,
                                                   priority=priority,
                                                   valueAlias=str(segment["sid"])))
        self.pitfall("cookie-destination-for-target",
                     "Cookie destination aimed at Adobe Target", "destination", 6104)

        dsp = dest(6105, "Example DSP (Device-Based)", "Server-to-server, created by Adobe",
                   "S2S", dataSourceId=DS_DSP_EXTERNAL, startDate=None, endDate=None,
                   devicePlatform="ALL", mappingAutoFiller="IC", dataExportLabels=["PII"])
        for segment in picks[23:27] + aep[:5]:
            dsp["mappings"].append(self.mapping(
                6105, next(mapping_ids), segment,
                traitAlias=segment["integrationCode"] or f"nw_{segment['sid']}",
                end_date=self.rng.choice((None, None, "2027-06-30"))))
        expired = self.mapping(6105, next(mapping_ids), picks[27], traitAlias="nw_summer",
                               end_date="2026-06-30")
        dsp["mappings"].append(expired)
        self.pitfall("expired-mapping", "Destination mapping whose end date has passed",
                     "destination-mapping", expired["destinationMappingId"])

        social = dest(6106, "Social Network Custom Audiences", "People-based S2S audience sync",
                      "S2S", dataSourceId=DS_DSP_EXTERNAL + 1, startDate=None, endDate=None,
                      devicePlatform="ALL", mappingAutoFiller="SID", dataExportLabels=["PII"])
        for segment in picks[27:30] + aep[5:8]:
            social["mappings"].append(self.mapping(6106, next(mapping_ids), segment,
                                                   traitAlias=str(segment["sid"])))

    def build_derived_signals(self) -> None:
        rows = [("c_cat", "tent", "c_category", "tents"),
                ("c_cat", "shoe", "c_category", "footwear"),
                ("c_utm_source", "fb", "c_utm_source", "facebook"),
                ("c_app_screen", "map", "c_screen", "trail_map")]
        for offset, (sk, sv, tk, tv) in enumerate(rows):
            created, updated = self.times()
            self.derived_signals.append({
                "derivedSignalId": 8001 + offset, "sourceKey": sk, "sourceValue": sv,
                "targetKey": tk, "targetValue": tv, "integrationCode": "", "pid": PID,
                "version": 1, "createTime": created, "updateTime": updated,
                "crUID": 7001, "upUID": 7001,
            })

    def stamp_export_day(self) -> None:
        """The newest object changed on the export day, so the export date reads 2026-10-31."""
        newest = max(self.segments, key=lambda s: s["updateTime"])
        newest["updateTime"] = epoch_ms(EXPORT_DAY, 9 * 3600)

    def build(self) -> DemoTenant:
        self.build_data_sources()
        self.build_trait_folders()
        self.build_segment_folders()
        self.build_product_traits()
        self.build_rule_traits()
        self.build_crm_traits()
        self.build_modelled_traits()
        self.build_third_party_traits()
        self.build_aep_pairs()
        self.build_product_segments()
        self.build_bucket_segments()
        self.build_pitfall_segments()
        self.build_destinations()
        self.build_derived_signals()
        self.stamp_export_day()
        return self


# --- usage ----------------------------------------------------------------------------------
WEEKDAY_FACTOR = (1.0, 0.97, 0.96, 0.99, 1.04, 1.14, 1.09)  # Monday..Sunday: a retailer


def usage_days(rng: random.Random) -> list[tuple[date, int, int, int]]:
    """(day, analytics, target, other) for two years ending on the export day."""
    days = (EXPORT_DAY - USAGE_FIRST_DAY).days + 1
    rows = []
    for offset in range(days):
        day = USAGE_FIRST_DAY + timedelta(days=offset)
        growth = 1.0 + 0.28 * offset / days
        season = WEEKDAY_FACTOR[day.weekday()]
        holiday = 1.22 if (day.month == 12 and day.day < 24) or (
            day.month == 11 and day.day >= 24) else 1.0
        session = 0.65 if day >= SESSION_SWITCH_DAY else 1.0
        target = 370_000 * growth * season * holiday * session * rng.gauss(1.0, 0.035)
        analytics = 1_150_000 * growth * season * holiday * rng.gauss(1.0, 0.03)
        other = 62_000 * growth * rng.gauss(1.0, 0.06)
        rows.append((day, int(analytics), int(target), int(other)))
    return rows


def usage_files(rng: random.Random) -> dict[str, list[tuple[date, int, int, int]]]:
    """Split the daily rows into ~76-day exports that overlap by a few days, as users pull them."""
    rows = usage_days(rng)
    files = 10
    bounds = [round(i * len(rows) / files) for i in range(files + 1)]
    out: dict[str, list[tuple[date, int, int, int]]] = {}
    for i in range(files):
        start = max(0, bounds[i] - rng.randint(2, 5))
        chunk = rows[start:bounds[i + 1]]
        out[f"activity-usage-{chunk[0][0]:%Y-%m-%d}_{chunk[-1][0]:%Y-%m-%d}.csv"] = chunk
    return out


SETTINGS_EVENTS = [
    (USAGE_FIRST_DAY, "data collection", "Real-Time"),
    (USAGE_FIRST_DAY, "Shared Audiences", "enabled"),
    (SESSION_SWITCH_DAY, "data collection", "Once Per Session"),
    (HOLIDAY_LAUNCH_DAY, "note", "Holiday campaign launch"),
]


# --- writing --------------------------------------------------------------------------------
def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def write_export(tenant: DemoTenant, out_dir: Path, rng: random.Random) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    # Drop files an earlier run wrote (page or usage file names may change with the data).
    for stale in [*out_dir.glob("*.json"), *out_dir.glob("*.csv"), *out_dir.glob("usage/*.csv")]:
        stale.unlink()
    write_json(out_dir / "datasources.json", tenant.data_sources)
    write_json(out_dir / "trait-folders.json", tenant.trait_folder_tree)
    write_json(out_dir / "segment-folders.json", tenant.segment_folders)
    page_size = 200  # traits in two paged files, as Adobe's tools pull them
    for page in range(math.ceil(len(tenant.traits) / page_size)):
        write_json(out_dir / f"traits-page-{page}.json", {
            "total": len(tenant.traits), "page": page, "pageSize": page_size,
            "list": tenant.traits[page * page_size:(page + 1) * page_size]})
    write_json(out_dir / "segments.json", tenant.segments)
    write_json(out_dir / "merge-rules.json", tenant.merge_rules())
    write_json(out_dir / "destinations.json", tenant.destinations)
    write_json(out_dir / "algo-models.json", tenant.algo_models)
    write_json(out_dir / "derived-signals.json", tenant.derived_signals)
    for name, rows in usage_files(rng).items():
        path = out_dir / "usage" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["Date", "Total Server Calls", "Analytics", "Target", "Other"])
            for day, analytics, target, other in rows:
                writer.writerow([day.isoformat(), analytics + target + other, analytics,
                                 target, other])
    with (out_dir / "settings-events.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["date", "setting", "value"])
        for day, setting, value in SETTINGS_EVENTS:
            writer.writerow([day.isoformat(), setting, value])


def generate(out_dir: Path, seed: int = SEED) -> DemoTenant:
    """Write the demo export into ``out_dir`` and return the tenant that was written."""
    tenant = DemoTenant(seed).build()
    write_export(tenant, out_dir, random.Random(seed + 1))
    return tenant


def pitfalls_json(tenant: DemoTenant) -> list[dict[str, Any]]:
    return [{"key": p.key, "title": p.title, "kind": p.kind, "ids": p.ids}
            for p in tenant.pitfalls.values()]


def readme(tenant: DemoTenant) -> str:
    counts = {
        "data sources": len(tenant.data_sources),
        "trait folders": sum(1 for _ in _walk(tenant.trait_folder_tree)),
        "segment folders": len(tenant.segment_folders),
        "traits": len(tenant.traits), "segments": len(tenant.segments),
        "merge rules": len(tenant.merge_rules()), "destinations": len(tenant.destinations),
        "destination mappings": sum(len(d["mappings"]) for d in tenant.destinations),
        "algorithmic models": len(tenant.algo_models),
        "derived signals": len(tenant.derived_signals),
    }
    rows = "\n".join(f"| `{p.key}` | {p.title} | {p.kind} | "
                     f"{', '.join(str(i) for i in p.ids)} |" for p in tenant.pitfalls.values())
    count_lines = "\n".join(f"- {n} {label}" for label, n in counts.items())
    return README_TEMPLATE.format(counts=count_lines, pitfalls=rows)


def _walk(nodes: list[dict[str, Any]]) -> Any:
    for node in nodes:
        yield node
        yield from _walk(node.get("subFolders", []))


README_TEMPLATE = """\
# Demo tenant: Northwind Outfitters (partner id 5150)

A fictional outdoor retailer, generated by `generate.py` (deterministic: seeded
`random.Random`, no clock). Do not edit `export/` by hand: change `generate.py` and run
`python resources/demo/generate.py`, which rewrites `export/`, this README and
`pitfalls.json`.

`aam-explorer demo` (and the GUI's demo entry) imports `export/` into a fresh workspace in the
data folder (`explorer.demo.ensure_demo_workspace`).

## What is in `export/`

{counts}

Files: `datasources.json`, `trait-folders.json` (nested `subFolders` tree),
`segment-folders.json` (flat list with `parentFolderId`), `traits-page-*.json` (paged
`{{total,page,pageSize,list}}` wrapper), `segments.json`, `merge-rules.json`,
`destinations.json` (mappings nested), `algo-models.json`, `derived-signals.json`,
`usage/activity-usage-*.csv` (ten Activity Usage exports of ~76 days each that overlap by a
few days; columns `Date,Total Server Calls,Analytics,Target,Other`) and `settings-events.csv`
(`date,setting,value`).

- Data sources: web, app, CRM (cross-device; web and CRM have unique trait integration codes),
  "Northwind Outfitters Audiences" (adobe-provided), "Adobe Experience Platform Audience
  Sharing", and two 3rd-party sources of other partners (pid 9876, 9911).
- Traits: rule-based (c_/d_/h_ keys, `contains`/`startswith`/`endswith`/`matchesregex`/
  `matcheswords`, numbers, AND/OR/AND NOT), onboarded CRM traits (`ic == "..."`), three
  algorithmic traits (models in `algo-models.json`), 3rd-party traits, German and Japanese
  names, metrics (`uniques7Day`...`count60Day`) on most traits.
- 12 AEP audiences shared into AAM: trait in "Experience Platform Traits"
  (`segid == "<uuid>"`, integration code = the uuid, sid 13000xx odd) and segment in
  "Experience Platform Segments" (adjacent sid, same integration code, "External Merge
  Policy") — plus the deliberate AEP pitfalls below.
- Segments: AND/OR/NOT, `frequency([...] <= nD) >= n` recency/frequency rules, ACTIVE and
  INACTIVE, population metrics (`instantUniques*`, `totalUniques*`).
- 4 merge rules (incl. External Merge Policy); destinations: URL (PUSH, plain and
  serialized), cookie (ADS) and S2S, with mappings (start/end dates).
- Usage: daily server calls from 2024-11-01 to 2026-10-31. Target calls start near 370k/day
  with weekly seasonality, noise, growth and a holiday bump; data collection switches from
  Real-Time to Once Per Session on 2025-10-06, where Target calls drop by ~35%.
  `settings-events.csv` records that switch, Shared Audiences `enabled` at the start and a
  free-text note (Holiday campaign launch, 2025-11-24).
- Export date: the newest `updateTime` is on 2026-10-31.

## Deliberate pitfalls

Each row names the objects that show it (also machine-readable in `pitfalls.json`).

| key | pitfall | kind | ids |
|---|---|---|---|
{pitfalls}

Other deliberate details: merge rule 171019 (used by the missing-merge-rule segment) is not in
the export; trait folder 219999 does not exist; trait 1199999 does not exist; the S2S
destinations point at data sources (505050, 505051) outside the export, as real Adobe-created
destinations do.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "export",
                        help="export folder to write (default: resources/demo/export)")
    args = parser.parse_args()
    tenant = generate(args.out)
    if args.out.resolve() == (HERE / "export").resolve():
        (HERE / "README.md").write_text(readme(tenant), encoding="utf-8")
        write_json(HERE / "pitfalls.json", pitfalls_json(tenant))
    print(f"wrote {args.out}: {len(tenant.traits)} traits, {len(tenant.segments)} segments")


if __name__ == "__main__":
    main()
