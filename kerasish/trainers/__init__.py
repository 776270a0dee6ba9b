"""The training loop and its data handling."""
