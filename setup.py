"""The package list, which pyproject.toml cannot combine: the ``explorer`` packages found in
the tree, plus ``explorer.resources``, the top-level ``resources/`` folder that
pyproject.toml's ``package-dir`` maps into the package. Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["explorer", "explorer.*"]), "explorer.resources"])
