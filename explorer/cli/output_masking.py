"""What a command's output masks: the options (``--mask-class``, ``--mask-term`` as ``gui``
has them, ``--mask``, ``--no-mask``) and the workspace's own masking. The commands that write
client values (``show``, ``snapshot``, ``export-csv``) mask what they write with the one
masker this gives (``Masker.mask_data`` for an object, ``mask_text`` for text)."""

from __future__ import annotations

from typing import Any

import click

from explorer.cli.gui_cmd import MASK_OPTIONS
from explorer.masking import Masker, MaskRules, describe_rules, load_rules, masker_for


def masking_options(func: Any) -> Any:
    """--mask-class, --mask-term (as ``gui`` has them), --mask and --no-mask."""
    options = [
        *MASK_OPTIONS,
        click.option("--mask", "saved_mask", is_flag=True,
                     help="Mask with the workspace's saved masking rules (Tools > Masking "
                          "rules in the window)."),
        click.option("--no-mask", is_flag=True,
                     help="Write real values even when masking is on in the workspace."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def output_masker(workspace: Any, saved_mask: bool, no_mask: bool,
                  mask_classes: tuple[str, ...], mask_terms: tuple[str, ...]) -> Masker | None:
    """The Masker the output applies (None: real values), and a note on stderr whenever the
    workspace's own masking decides it."""
    terms = tuple(t for t in mask_terms if t.strip())
    if no_mask and (saved_mask or terms or mask_classes):
        raise click.UsageError("--no-mask cannot go with --mask, --mask-term or --mask-class")
    if no_mask:
        return None
    saved = load_rules(workspace)
    if saved_mask and not saved.with_enabled(True).active:
        raise click.ClickException(f"{workspace.path}: the workspace has no masking rules "
                                   "(use --mask-term or --mask-class)")
    if terms or mask_classes:
        rules = MaskRules(True, terms, (), frozenset(mask_classes))
        if saved_mask:
            rules = MaskRules(True, tuple(dict.fromkeys(saved.terms + terms)), saved.regexes,
                              saved.classes | frozenset(mask_classes), saved.aliases)
        if mask_classes and not rules.terms:
            click.echo("note: --mask-class masks ids, e-mail addresses and hosts, not names; "
                       "add --mask-term NAME for the client's brands", err=True)
    elif saved_mask or saved.active:
        rules = saved.with_enabled(True)
        if not saved_mask:
            click.echo(f"note: masking is on in this workspace, so the output is masked "
                       f"({describe_rules(rules)[:-1].lower()}); --no-mask writes real "
                       "values", err=True)
    else:
        return None
    return masker_for(workspace, rules)
