"""The model's generator as the kernels draw from it: the same stream, drawn inline.

docs/design.md Decision 4: every draw comes from the model's own generator. numba can draw from a
numpy Generator itself, but measured in the vectorized engine that costs twice: each draw calls
through two function pointers into numpy (about 6 ns on the 2-core machine, where the step of
numpy's PCG64 takes 2), and the Generator is a reference-counted object, so every compiled
step that takes it as an argument adds and drops a reference (atomic operations, more than the
draw itself).

So the kernels get `Draws.of(generator)` instead: a named tuple holding only the address of
the generator's own PCG64 state (a number, so nothing to count). Its methods run numba's copies
of numpy's algorithms (`random`, `uniform`, `normal`, `exponential`, `poisson`, `geometric`,
`gamma`)
on bits from one PCG64 step taken inline, in place, on that state. The kernels therefore still
draw, number for number, what numpy would draw from the generator with the same calls, and the
generator continues the stream afterwards (tests/test_draws.py, tests/test_rules_compiled.py).

The layout read is numpy's (`pcg64_state` starts with a pointer to `pcg64_random_t`: state,
then increment, both 128-bit, low word first), unchanged since numpy 1.17 wherever numpy has
native 128-bit integers; `Draws.of` checks it once per process, against numpy's own first draw,
and refuses to draw otherwise. The generator must outlive its Draws: the vectorized model takes
them afresh from its generator for each call.
"""

from __future__ import annotations

import ctypes
import functools
import inspect
from typing import NamedTuple

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic, overload, overload_method, register_jitable
from numba.np.random import distributions, generator_core

from sim.rules.jit import kernel

PCG64_MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645  # PCG_DEFAULT_MULTIPLIER_128
TWO_TO_MINUS_53 = 1.0 / 9007199254740992.0  # a 53-bit integer to a double in [0, 1)


class Draws(NamedTuple):
    """A PCG64 generator's state, as the kernels draw from it (see the module's docstring)."""

    state: int  # address of the generator's {state, increment}

    @classmethod
    def of(cls, generator: np.random.Generator) -> Draws:
        """The draws of `generator`, which must be PCG64 (numpy's default, and Mesa's)."""
        if not isinstance(generator.bit_generator, np.random.PCG64):
            raise TypeError(f"the kernels draw from PCG64, not {type(generator.bit_generator)}")
        _check_layout()
        return cls._at(generator)

    @classmethod
    def _at(cls, generator: np.random.Generator) -> Draws:
        holder = generator.bit_generator.ctypes.state_address  # a pcg64_state
        return cls(ctypes.c_void_p.from_address(holder).value)


@functools.cache
def _check_layout() -> None:
    """Refuse to draw if this numpy's PCG64 is not laid out as read here (once per process).

    Builds without native 128-bit integers (MSVC) keep the high word first, for instance.
    """
    probe, reference = np.random.default_rng(1), np.random.default_rng(1)
    if _first_uniform(Draws._at(probe)) != reference.random():
        raise RuntimeError(f"numpy {np.__version__}'s PCG64 state is not laid out as "
                           "sim/draws.py reads it; the vectorized engine cannot draw here")


@intrinsic
def _pcg64_next64(typingctx, address):
    """As numpy's `pcg64_next64`: one step of the state at `address`, in place; the output."""

    def codegen(context, builder, signature, args):
        i64, i128 = ir.IntType(64), ir.IntType(128)
        words = builder.inttoptr(args[0], i128.as_pointer())
        increment = builder.load(builder.gep(words, [ir.Constant(ir.IntType(32), 1)]), align=8)
        state = builder.load(words, align=8)
        state = builder.add(builder.mul(state, ir.Constant(i128, PCG64_MULTIPLIER)), increment)
        builder.store(state, words, align=8)
        high = builder.trunc(builder.lshr(state, ir.Constant(i128, 64)), i64)
        mixed = builder.xor(high, builder.trunc(state, i64))  # XSL-RR: xor, rotate right
        rotate = builder.module.declare_intrinsic("llvm.fshr", [i64],
                                                  ir.FunctionType(i64, [i64, i64, i64]))
        return builder.call(rotate, [mixed, mixed, builder.lshr(high, ir.Constant(i64, 58))])

    return types.uint64(address), codegen


def _is_draws(value) -> bool:
    """Whether numba's type `value` is Draws (it types Draws as a named tuple, like any)."""
    return getattr(value, "instance_class", None) is Draws


# numba's distributions (numpy's algorithms) take their bits from these two; for Draws, inline.
@overload(generator_core.next_uint64)
def _next_uint64(draws):
    if _is_draws(draws):
        return lambda draws: _pcg64_next64(draws.state)
    return None


@overload(generator_core.next_double)
def _next_double(draws):
    if _is_draws(draws):  # numpy's pcg64_next_double: the top 53 bits
        return lambda draws: np.float64(_pcg64_next64(draws.state) >> 11) * TWO_TO_MINUS_53
    return None


def _method(name):
    """Register the decorated typer as method `name` of Draws, and of no other named tuple."""

    def register(typer):
        def typer_for_draws(self, *args):
            return typer(self, *args) if _is_draws(self) else None

        typer_for_draws.__signature__ = inspect.signature(typer)
        overload_method(types.BaseNamedTuple, name)(typer_for_draws)
        return typer

    return register


@_method("random")
def _random(self):
    return lambda self: generator_core.next_double(self)


@_method("geometric")
def _geometric(self, p):
    return lambda self, p: np.int64(distributions.random_geometric(self, p))


@_method("poisson")
def _poisson(self, lam):
    def poisson(self, lam):
        if lam >= 10:
            return _poisson_ptrs(self, lam)
        return distributions.random_poisson(self, lam)

    return poisson


@register_jitable
def _poisson_ptrs(bitgen, lam):
    """The PTRS Poisson draw (Hörmann 1993) exactly as numpy's C code has it.

    numba's port (numba.np.random.distributions.random_poisson_ptrs) truncates the candidate
    with int() where numpy floors it: a candidate in (−1, 0) is 0 there and rejected here, so
    about once in 230,000 draws at mean 13 numba returns another number and, from then on,
    draws out of step with numpy (seen as the two engines parting on day 548 of housing).
    """
    slam = np.sqrt(lam)
    loglam = np.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = generator_core.next_double(bitgen) - 0.5
        v = generator_core.next_double(bitgen)
        us = 0.5 - np.fabs(u)
        k = np.int64(np.floor((2 * a / us + b) * u + lam + 0.43))
        if us >= 0.07 and v <= vr:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        if (np.log(v) + np.log(invalpha) - np.log(a / (us * us) + b)) <= (
                -lam + k * loglam - distributions.random_loggam(k + 1)):
            return k


@_method("gamma")
def _gamma(self, shape, scale):
    return lambda self, shape, scale: distributions.random_gamma(self, shape, scale)


@_method("normal")
def _normal(self, loc, scale, size=None):
    if size is None or isinstance(size, (types.NoneType, types.Omitted)):
        return lambda self, loc, scale, size=None: distributions.random_normal(self, loc, scale)

    def normals(self, loc, scale, size=None):
        out = np.empty(size)
        flat = out.reshape(-1)
        for k in range(flat.size):
            flat[k] = distributions.random_normal(self, loc, scale)
        return out

    return normals


@_method("uniform")
def _uniform(self, low, high, size):
    def uniforms(self, low, high, size):
        out = np.empty(size)
        for k in range(size):
            out[k] = distributions.random_uniform(self, low, high - low)
        return out

    return uniforms


@_method("exponential")
def _exponential(self, scale, size):
    def exponentials(self, scale, size):
        out = np.empty(size)
        for k in range(size):
            out[k] = distributions.random_exponential(self, scale)
        return out

    return exponentials


@kernel
def _first_uniform(draws):
    return draws.random()
