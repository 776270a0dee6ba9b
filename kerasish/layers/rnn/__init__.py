"""Recurrent layers (LSTM, GRU, SimpleRNN), their cells and the Bidirectional / TimeDistributed wrappers."""
