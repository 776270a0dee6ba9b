"""Fashion-MNIST: 28x28 uint8 images of clothing, labels 0-9."""
import os

from ._local_files import Splits, dataset_dirs, load_idx_folder

SYSTEM_DIR = "/usr/share/datasets/fashion-mnist"


def search_dirs() -> list:
    """Folders holding the four IDX files, in the order they are tried."""
    return [os.path.join(folder, "fashion-mnist") for folder in dataset_dirs()] + [SYSTEM_DIR]


def load_data() -> Splits:
    """Returns ((x_train, y_train), (x_test, y_test)) as uint8 arrays (60,000 / 10,000), as Keras does.

    Reads the standard IDX files from a `fashion-mnist/` folder under the data
    set folders or from the Debian package `dataset-fashion-mnist`. Never downloads.
    """
    for folder in search_dirs():
        splits = load_idx_folder(folder)
        if splits is not None:
            return splits
    raise FileNotFoundError(
        "Fashion-MNIST is not installed. Install it with `apt-get install dataset-fashion-mnist` "
        f"(Debian/Ubuntu, files in {SYSTEM_DIR}), or put the four IDX files (train-images-idx3-ubyte.gz, "
        "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in one of: "
        f"{', '.join(search_dirs()[:-1])}.")
