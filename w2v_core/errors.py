"""Errors the engine raises on bad input, each with a message meant for a person.

Every error derives from ``W2VError`` (itself a ``ValueError``) so the app and
the command line can catch one type and show its message instead of a traceback.
"""


class W2VError(ValueError):
    """Base class: something the user gave us cannot be used as it is."""


class CorpusError(W2VError):
    """The text gives nothing to train on (empty, not UTF-8, no words left...)."""


class ConfigError(W2VError):
    """A hyperparameter is out of its allowed range."""


class VectorsFormatError(W2VError):
    """A vectors or model file is malformed; the message names the line."""


class TrainingDiverged(W2VError):  # noqa: N818 - reads better as a sentence
    """A loss or weight became NaN/inf; the trainer rolled back to the last good state."""
