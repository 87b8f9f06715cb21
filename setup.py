"""The one thing pyproject.toml cannot say: which packages ship, found rather than listed.

Every package under ``generator/`` is found, so a new runtime subpackage cannot be left out of the wheel (the
runtime is copied from the installed package into every server it generates). The templates live in
``templates/`` and ship as ``generator.templates`` (its folders as its subpackages), each with its ``*.j2``.
Everything else about the distribution (name, version, dependencies, scripts) is in ``pyproject.toml``.
"""

from setuptools import find_packages, setup

TEMPLATES = ["generator.templates", *(f"generator.templates.{name}" for name in find_packages("templates"))]

setup(
    packages=[*find_packages(include=["generator", "generator.*"]), *TEMPLATES],
    package_dir={"generator.templates": "templates"},
    package_data={name: ["*.j2"] for name in TEMPLATES},
)
