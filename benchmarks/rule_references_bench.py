"""Segment-rule references: the full parser (``referenced_traits``) against the one-pass
scanner (``scan_references``) on realistic rules, in µs per rule.

    python benchmarks/rule_references_bench.py [--rules 40000] [--repeat 3]

Rules as the import benchmark's 2x tenant has them: 1-8 trait references joined with
AND/OR/NOT in parenthesised groups, about a fifth with a frequency or recency clause. Before
timing, both are checked to give the same answer on every rule.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explorer.domain.rule_references import scan_references, scan_rows
from explorer.domain.segment_rule import referenced_traits


def realistic_rule(rng: random.Random) -> str:
    refs = [f"{rng.randrange(1_000_000, 1_200_000)}T" for _ in range(rng.randint(1, 8))]
    if rng.random() < 0.2:
        listed = ", ".join(refs[:rng.randint(1, min(3, len(refs)))])
        recency = rng.choice(["", " <= 7D", " <= 30D", " >= 14D"])
        clause = f"(frequency([{listed}]{recency}) >= {rng.randint(1, 5)})"
        rest = refs[len(listed.split(", ")):]
        return clause if not rest else f"{clause} AND ({' OR '.join(rest)})"
    groups: list[str] = []
    while refs:
        size = rng.randint(1, 3)
        group, refs = refs[:size], refs[size:]
        groups.append("(" + rng.choice([" OR ", " AND "]).join(group) + ")")
    text = groups[0]
    for joined in groups[1:]:
        text += rng.choice([" AND ", " OR ", " AND NOT "]) + joined
    return text


def per_rule_us(function: Callable[[str], object], rules: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for rule in rules:
            function(rule)
        best = min(best, time.perf_counter() - start)
    return best / len(rules) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(18)
    rules = [realistic_rule(rng) for _ in range(args.rules)]
    mismatches = sum(scan_references(r) != referenced_traits(r) for r in rules)
    if mismatches:
        sys.exit(f"{mismatches} rules where the scanner and the parser disagree")
    parser_us = per_rule_us(referenced_traits, rules, args.repeat)
    scanner_us = per_rule_us(scan_references, rules, args.repeat)
    rows_us = per_rule_us(scan_rows, rules, args.repeat)
    print(f"{len(rules):,} realistic segment rules (best of {args.repeat})")
    print(f"  parser  (referenced_traits):            {parser_us:6.1f} µs per rule")
    print(f"  scanner (scan_references):              {scanner_us:6.1f} µs per rule")
    print(f"  scanner, rows as imported (scan_rows):  {rows_us:6.1f} µs per rule")
    print(f"  import path / parser: {rows_us / parser_us:.2f}; saved on {len(rules):,} rules: "
          f"{(parser_us - rows_us) * len(rules) / 1e6:.2f} s")


if __name__ == "__main__":
    main()
