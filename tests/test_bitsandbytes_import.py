"""bitsandbytes is imported without its kernel-hub fetch: no network call, no message, and no other warning lost."""
import logging, subprocess, sys
from oorl_nb.model import _DropMessage, _KERNEL_HUB_FAILED

FRESH = """
import sys, kernels
calls = []
kernels.get_kernel = lambda *a, **k: calls.append(a)  # what bitsandbytes calls on an AVX512-BF16 CPU
from oorl_nb.model import import_bitsandbytes
import_bitsandbytes()
import peft  # imports bitsandbytes too: it must find it imported
assert sys.modules["kernels"] is kernels, "kernels was not given back"
print(len(calls))
"""

def test_bitsandbytes_imports_without_fetching_a_kernel_or_saying_so():
    "In a fresh interpreter, as `oorl-nb demo` starts: the fetch is never called and the hub message never printed."
    r = subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["0"] and "kernels-community" not in r.stderr and "trust_remote_code" not in r.stderr, r.stderr

def test_only_the_hub_message_is_dropped():
    record = lambda msg: logging.LogRecord("bitsandbytes.backends.cpu.ops", logging.WARNING, __file__, 1, msg, (), None)
    drop = _DropMessage(_KERNEL_HUB_FAILED)
    assert not drop.filter(record(_KERNEL_HUB_FAILED + ": Kernel repository ... could not verify publisher trust status"))
    assert drop.filter(record("Failed to load CPU gemm_4bit_forward from somewhere else"))
    assert drop.filter(record("any other warning"))
