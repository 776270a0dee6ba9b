"""The wire-format encoder against the reference protobuf parser (tensorboard's generated Event)."""
import pytest

from kerasish.backend.protobuf import Message, varint

event_pb2 = pytest.importorskip("tensorboard.compat.proto.event_pb2")


def test_varint_boundaries():
    assert varint(0) == b"\x00"
    assert varint(127) == b"\x7f"
    assert varint(128) == b"\x80\x01"
    assert len(varint(-1)) == 10


def test_event_parses_with_reference_parser():
    summary = Message().messages(1, [Message().string(1, "loss").float(2, 0.25), Message().string(1, "acc").float(2, 0.5)])
    raw = Message().double(1, 12.5).uint(2, 300).message(5, summary).uint(9, None).serialize()
    event = event_pb2.Event.FromString(raw)
    assert event.wall_time == 12.5 and event.step == 300
    assert [(v.tag, v.simple_value) for v in event.summary.value] == [("loss", 0.25), ("acc", 0.5)]


def test_packed_and_negative_fields():
    from tensorboard.compat.proto.summary_pb2 import HistogramProto
    raw = Message().double(1, -2.0).double(2, 3.0).double(3, 4.0).packed_doubles(6, [1.0, 2.5]).packed_doubles(7, [3.0, 1.0]).serialize()
    hist = HistogramProto.FromString(raw)
    assert hist.min == -2.0 and list(hist.bucket_limit) == [1.0, 2.5] and list(hist.bucket) == [3.0, 1.0]
