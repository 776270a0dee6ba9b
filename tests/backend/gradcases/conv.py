"""Gradient-check cases for conv2d and depthwise_conv2d: tiny float64 images, varied geometry."""
import numpy as np


def _case(seed: int, x_shape: tuple, w_shape: tuple, **attrs) -> dict:
    rng = np.random.default_rng(seed)
    return dict(inputs=[rng.normal(size=x_shape), rng.normal(scale=0.5, size=w_shape)], attrs=attrs)


CASES = {
    "conv2d": [
        _case(0, (2, 4, 5, 2), (3, 3, 2, 3)),
        _case(1, (1, 5, 6, 2), (3, 2, 2, 2), strides=(2, 2), padding="same"),
        _case(2, (1, 5, 5, 1), (2, 2, 1, 2), padding="same", dilation=(2, 2)),
        _case(3, (1, 4, 4, 2), (2, 3, 2, 2), strides=(1, 2), padding=((1, 0), (2, 1))),
    ],
    "depthwise_conv2d": [
        _case(4, (2, 4, 5, 2), (3, 3, 2, 1)),
        _case(5, (1, 5, 6, 2), (3, 2, 2, 2), strides=(2, 2), padding="same"),
        _case(6, (1, 5, 5, 3), (2, 2, 3, 1), padding="same", dilation=(2, 1)),
    ],
}
