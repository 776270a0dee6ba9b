"""Maps the top-level folders into one `kerasish` namespace.

`backend/` installs as `kerasish.backend` and `applications/` as
`kerasish.applications`, so no top-level `backend` package is installed.
"""
from setuptools import find_packages, setup

ROOTS = {"kerasish": "kerasish", "kerasish.backend": "backend", "kerasish.applications": "applications"}


def mapped_packages():
    found = []
    for name, folder in ROOTS.items():
        found.append(name)
        found += [f"{name}.{sub}" for sub in find_packages(folder)]
    return found


setup(
    packages=mapped_packages(),
    package_dir=ROOTS,
    package_data={"kerasish": ["datasets/data/*.npz", "datasets/data/*.gz"]},
)
