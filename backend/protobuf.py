"""A minimal protocol-buffers wire-format encoder.

TensorBoard event files and ONNX models are serialized protobuf messages. We write the few
messages we need field by field instead of depending on the `protobuf` package and generated
code: the wire format is small (varints, fixed 32/64-bit numbers and length-delimited bytes).
"""
from __future__ import annotations

import struct
from typing import Iterable


def varint(value: int) -> bytes:
    """Base-128 varint; negative int64 values take ten bytes, as protobuf encodes them."""
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(number: int, wire_type: int) -> bytes:
    return varint((number << 3) | wire_type)


class Message:
    """Accumulates the fields of one message in the order they are added.

    Every adder returns the message, so a message reads as a chain:
    `Message().string(1, "loss").float(2, 0.5)`. Fields with value None are skipped, which
    matches protobuf's "unset" for optional fields.
    """

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def uint(self, number: int, value: int | None) -> "Message":
        """int32/int64/uint64/bool/enum fields (wire type 0)."""
        if value is not None:
            self._parts += [_key(number, 0), varint(int(value))]
        return self

    def double(self, number: int, value: float | None) -> "Message":
        if value is not None:
            self._parts += [_key(number, 1), struct.pack("<d", float(value))]
        return self

    def float(self, number: int, value: float | None) -> "Message":
        if value is not None:
            self._parts += [_key(number, 5), struct.pack("<f", float(value))]
        return self

    def bytes(self, number: int, value: bytes | None) -> "Message":
        if value is not None:
            self._parts += [_key(number, 2), varint(len(value)), value]
        return self

    def string(self, number: int, value: str | None) -> "Message":
        return self.bytes(number, None if value is None else value.encode("utf-8"))

    def message(self, number: int, value: "Message | None") -> "Message":
        return self.bytes(number, None if value is None else value.serialize())

    def messages(self, number: int, values: Iterable["Message"]) -> "Message":
        for value in values:
            self.message(number, value)
        return self

    def strings(self, number: int, values: Iterable[str]) -> "Message":
        for value in values:
            self.string(number, value)
        return self

    def packed_uints(self, number: int, values: Iterable[int]) -> "Message":
        return self.bytes(number, b"".join(varint(int(v)) for v in values))

    def packed_doubles(self, number: int, values: Iterable[float]) -> "Message":
        values = list(values)
        return self.bytes(number, struct.pack(f"<{len(values)}d", *values))

    def packed_floats(self, number: int, values: Iterable[float]) -> "Message":
        values = list(values)
        return self.bytes(number, struct.pack(f"<{len(values)}f", *values))

    def serialize(self) -> bytes:
        return b"".join(self._parts)
