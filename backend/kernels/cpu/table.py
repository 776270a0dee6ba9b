"""The CPU kernel table; kernel modules register NumPy functions into it."""
from ...device import KernelTable

CPU_KERNELS = KernelTable("cpu")
register = CPU_KERNELS.register
