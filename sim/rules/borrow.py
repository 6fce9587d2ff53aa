"""Arrays the kernels use without counting references to them (numba's NRT), for speed.

numba counts references to every array a compiled function receives: when a kernel calls a
rule with the run's books (`Tally`) and the day's buffers (`Buffers`), named tuples of some
thirty arrays, the rule adds and drops a reference to each of them, two atomic operations
apiece, on every call: measured, a touchpoint cost 390 ns instead of 65. The kernels therefore
call the rules with *borrowed* views of these tuples: the same arrays (same memory, shape and
strides) without their reference-counting handle, so numba's counting becomes a no-op.

A borrowed array must not outlive the array it was taken from: the kernels borrow at their
start and the borrowed tuple never leaves the kernel call (nothing borrowed is returned or
stored).
"""

from __future__ import annotations

from numba import types
from numba.core import cgutils
from numba.extending import intrinsic


def _borrow_array(context, builder, array_type, value):
    array = cgutils.create_struct_proxy(array_type)(context, builder, value=value)
    array.meminfo = cgutils.get_null_value(array.meminfo.type)
    array.parent = cgutils.get_null_value(array.parent.type)
    return array._getvalue()


@intrinsic
def borrowed(typingctx, value):
    """`value` (an array, or a tuple of arrays and numbers) with its arrays borrowed."""

    def codegen(context, builder, signature, args):
        (kind,), (result,) = signature.args, args
        if isinstance(kind, types.Array):
            return _borrow_array(context, builder, kind, result)
        for i, member in enumerate(kind.types):
            if isinstance(member, types.Array):
                item = builder.extract_value(result, i)
                result = builder.insert_value(
                    result, _borrow_array(context, builder, member, item), i)
        return result

    return value(value), codegen
