"""A bounded record of training: the loss curve and snapshots for replay.

Both lists are thinned instead of truncated when they fill up, so a long run
keeps evenly spread points from its whole life: the loss curve merges
neighbouring points pairwise, and the snapshot list keeps every other snapshot
and from then on records half as often.
"""

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Snapshot:
    examples_seen: int  # examples trained on when the snapshot was taken
    epoch: float  # fractional epoch (e.g. 1.25)
    W_in: np.ndarray  # (r, d) first r rows of W_in (the most frequent words)
    W_out: np.ndarray  # (r, d) same rows of W_out

    @property
    def nbytes(self) -> int:
        return self.W_in.nbytes + self.W_out.nbytes


@dataclass
class History:
    max_points: int = 4000  # loss points kept
    max_snapshots: int = 200  # snapshots kept
    max_bytes: int = 64 * 2**20  # memory cap of all snapshots together
    loss: list[tuple[int, float]] = field(default_factory=list)  # (examples_seen, mean loss)
    epoch_loss: list[float] = field(default_factory=list)  # mean loss of each finished epoch
    epoch_end: list[int] = field(default_factory=list)  # examples seen when each epoch ended
    snapshots: list[Snapshot] = field(default_factory=list)
    _interval: int = 1  # record a snapshot every `_interval` offers
    _offers: int = 0

    @property
    def nbytes(self) -> int:
        return sum(s.nbytes for s in self.snapshots) + 16 * len(self.loss)

    def add_loss(self, examples_seen: int, loss: float) -> None:
        self.loss.append((examples_seen, loss))
        if len(self.loss) > self.max_points:  # merge pairs: (x of the later, mean of the two)
            pts = self.loss
            merged = [
                (pts[i + 1][0], (pts[i][1] + pts[i + 1][1]) / 2) for i in range(0, len(pts) - 1, 2)
            ]
            self.loss = merged + (pts[-1:] if len(pts) % 2 else [])

    def end_epoch(self, examples_seen: int, loss: float) -> None:
        """Record a finished epoch: where it ended (examples seen) and its mean loss."""
        self.epoch_end.append(examples_seen)
        self.epoch_loss.append(loss)

    def keep_epochs(self, n: int) -> None:
        """Forget the epochs after the first n (a rolled-back advance)."""
        del self.epoch_end[n:], self.epoch_loss[n:]

    def offer_snapshot(self, examples_seen: int, epoch: float, W_in, W_out, rows: int) -> None:
        """Record a copy of the first ``rows`` rows, if it is this offer's turn."""
        self._offers += 1
        if (self._offers - 1) % self._interval:
            return
        snap = Snapshot(examples_seen, epoch, W_in[:rows].copy(), W_out[:rows].copy())
        if snap.nbytes > self.max_bytes:
            return
        self.snapshots.append(snap)
        while len(self.snapshots) > self.max_snapshots or self.nbytes > self.max_bytes:
            self.snapshots = self.snapshots[::2]
            self._interval *= 2
