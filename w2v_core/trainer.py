"""The trainer: turns sentences into W_in (= E) and W_out, one advance at a time.

scikit-learn style: ``Trainer(config)`` only stores the config; ``prepare``
builds the vocabulary and the initial weights; learned state ends in ``_``.
Training moves forward by one example (``step``, the per-example teaching
path), by N examples, or by epochs (``advance``, the vectorized minibatch path).

Initialisation and learning-rate schedule follow gensim 4: W_in uniform in
[-1/d, 1/d) (word2vec.c uses half that range, which trained measurably worse
analogies on our generated corpus), W_out zero, and alpha decaying linearly from
``alpha`` to ``min_alpha`` over the tokens of all epochs.

Skip-gram here predicts the context word from the centre word, as the papers
write it. word2vec.c and gensim loop the other way round (the context word's
input vector predicts the centre word); over a corpus the two see the same
pairs, and the textbook direction is the one the lesson pages show.

Every advance works on fresh copies of W_in/W_out and publishes them only when
all values are finite, so arrays handed out earlier never change under the
caller, and a diverging learning rate leaves the last good state in place
(``advance(copy=False)``, for the command line, trains in place instead).

Memory: an advance over whole epochs streams them: it turns about
``STREAM_TOKENS`` tokens at a time into examples and trains them in chunks of
``CHUNK``, so it holds the weights, the encoded corpus and one chunk, never the
epoch's examples. Every other way forward (``step``, ``explain_next``,
``advance(n)``, the ``examples`` property) materialises the current epoch's
examples, which the lesson pages show. Both give the same examples, negatives and
batches, so the same weights bit for bit (tested): each epoch draws from three
generators seeded by (seed, epoch), one for subsampling, one for the dynamic
windows and one for the negatives, each consumed token by token in reading order.
"""

import queue
import threading
import time
from dataclasses import dataclass

import numpy as np

from . import batch, diagnose
from .config import W2VConfig, resolve_backend
from .errors import CorpusError, TrainingDiverged
from .history import History
from .huffman import HuffmanTree, build_huffman
from .pairs import (
    CbowExamples,
    Corpus,
    FlatCorpus,
    SkipGramPairs,
    cbow_examples,
    pair_count,
    skipgram_pairs,
)
from .sampler import NoiseSampler
from .step import Step, sgd_step
from .vocab import Vocab, build_vocab

CHUNK = 1 << 16  # examples whose negatives are drawn at once (bounds memory)
STREAM_TOKENS = 1 << 15  # tokens (whole sentences) turned into examples at a time when streaming
ROW_BLOCK = 4096  # rows of the weights handled at a time where a (V, d) temporary would do


def epoch_generators(seed: int, epoch: int) -> tuple[np.random.Generator, ...]:
    """The (subsampling, dynamic window, negatives) generators of epoch ``epoch`` (0-based)."""
    children = np.random.SeedSequence([seed, epoch + 1]).spawn(3)
    return tuple(np.random.default_rng(c) for c in children)


def _rows(ex, lo: int, hi: int):
    """Examples lo..hi-1 of ``ex`` (views)."""
    return type(ex)(**{f: getattr(ex, f)[lo:hi] for f in ex.__dataclass_fields__})


def _ahead(items, depth: int = 2):
    """The items of the iterator ``items``, computed by a helper thread up to ``depth`` ahead.

    The numba kernel releases the GIL, so the next chunk's examples and negatives are
    drawn on the other core while this one trains. Same items, same order; an exception
    in the helper is raised here; closing this generator stops the helper.
    """
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def work():
        try:
            for item in items:
                if not put(item):
                    return
            put(end)
        except BaseException as e:  # handed to the consumer, raised there
            put(e)

    helper = threading.Thread(target=work, name="w2v-chunks", daemon=True)
    helper.start()
    try:
        while (item := q.get()) is not end:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        helper.join()


def _concat(parts: list):
    """One example set of the example sets ``parts`` (of one type), in order."""
    if len(parts) == 1:
        return parts[0]
    fields = parts[0].__dataclass_fields__
    return type(parts[0])(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in fields})


@dataclass(frozen=True)
class Advance:
    """What one call to ``advance`` did."""

    examples: int  # examples trained on
    loss: float  # mean loss per example over this advance (nan if none)
    rows_in: np.ndarray  # ids of the W_in rows that changed
    rows_out: np.ndarray  # ids of the W_out rows that changed
    alpha: float  # learning rate of the last batch
    seconds: float  # wall time
    words: int  # corpus tokens passed over (for words/s)
    epoch: int  # epochs finished after this advance
    done: bool  # True once all epochs are finished

    @property
    def words_per_sec(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else float("nan")


@dataclass(frozen=True)
class _Saved:
    """What ``Trainer.advance`` rolls back when a batch diverges (the weights aside)."""

    epoch: int
    cursor: int
    examples_seen: int
    examples: object  # this epoch's examples (or None when streamed)
    rng: object  # the generator of this epoch's draws
    rng_state: dict | None  # its state at the start of the advance
    epoch_loss: object  # the running loss of the epoch
    n_epoch_losses: int  # epoch means recorded in the history


class Trainer:
    """Skip-gram or CBOW; negative sampling, softmax or hierarchical softmax; NumPy engine.

    Under hierarchical softmax ("hs") rows 0..V-2 of W_out are the Huffman tree's
    inner-node vectors (row V-1 is unused), so ``Advance.rows_out`` and
    ``Step.rows_out`` are inner-node ids; the tree is ``tree_``.
    """

    def __init__(self, config: W2VConfig | None = None):
        self.config = config if config is not None else W2VConfig()

    # ---- set-up ------------------------------------------------------------------

    def prepare(self, sentences) -> "Trainer":
        """Build the vocabulary and the encoded corpus, and initialise the weights."""
        cfg = self.config.validate()
        vocab = build_vocab(sentences, cfg.min_count, cfg.max_vocab)
        return self.prepare_encoded(vocab, Corpus.from_encoded(vocab.encode(sentences)))

    def prepare_encoded(self, vocab: Vocab, corpus: Corpus | FlatCorpus) -> "Trainer":
        """Initialise the weights for an already built vocabulary and encoded corpus.

        The same initial weights and training as ``prepare(sentences)`` when ``vocab`` and
        ``corpus`` are what it would build (``build_vocab`` with this config's min_count
        and max_vocab, then ``Corpus.from_encoded(vocab.encode(sentences))``).
        """
        cfg = self.config.validate()
        ids = corpus.ids
        if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= len(vocab)):
            raise CorpusError("The encoded corpus has word ids outside the vocabulary.")
        self.vocab_: Vocab = vocab
        self.corpus_ = corpus
        self._corpus: Corpus | None = corpus if isinstance(corpus, Corpus) else None
        self.backend_ = resolve_backend(cfg.backend)  # "numpy" or "numba"
        if pair_count(self.corpus_, cfg.window) == 0:
            raise CorpusError(
                "No (target, context) pairs: every sentence has a single word once rare words "
                "are removed. Add longer sentences or lower min_count."
            )
        if cfg.loss == "softmax" and len(self.vocab_) > 50_000:
            raise CorpusError("Full softmax is capped at 50,000 words; use negative sampling.")
        V, d = len(self.vocab_), cfg.dim
        rng = np.random.default_rng(cfg.seed)
        theta = np.zeros((2 * V, d), dtype=cfg.dtype)  # (2V, d) W_in stacked over W_out
        for lo in range(0, V, ROW_BLOCK):  # the same draws as one (V, d) call, in row blocks:
            hi = min(V, lo + ROW_BLOCK)  # no (V, d) float64 temporaries at the peak
            theta[lo:hi] = (2 * rng.random((hi - lo, d)) - 1) / d  # W_in = E in [-1/d, 1/d)
        self._publish(theta)  # W_out starts at zero
        self.sampler_ = NoiseSampler(self.vocab_.noise_probs(cfg.noise_alpha))
        self._keep = self.vocab_.keep_probs(cfg.sample) if cfg.sample > 0 else None
        self._tree: HuffmanTree | None = None
        self._hs: tuple[np.ndarray, np.ndarray] | None = None
        if cfg.loss == "hs":
            self._hs_arrays()  # build the tree and the padded path/sign tables once
        self.epoch_ = 0  # finished epochs
        self.cursor_ = 0  # next example inside the current epoch
        self._stream_token = 0  # token of the last example trained, while streaming
        self.examples_seen_ = 0
        self._examples: SkipGramPairs | CbowExamples | None = None
        self._rng: np.random.Generator | None = None
        self._pending: tuple[int, Step] | None = None
        self._pace = None  # fast.ThreadPace of the numba backend, made on first use
        self._epoch_loss = (0.0, 0)  # (loss sum, examples) of the current epoch
        self.history_ = History(max_snapshots=cfg.max_snapshots, max_bytes=cfg.history_bytes)
        self._snapshot()
        return self

    def fit(self, sentences) -> "Trainer":
        """Prepare and train all epochs (streamed: see the module's docstring)."""
        self.prepare(sentences)
        self.advance(epochs=self.config.epochs)
        return self

    # ---- read-only views ----------------------------------------------------------

    @property
    def words_(self) -> list[str]:
        return list(self.vocab_.words)

    @property
    def tree_(self) -> HuffmanTree:
        """The Huffman tree of the vocabulary (built on first use under other losses)."""
        if self._tree is None:
            self._tree = build_huffman(self.vocab_.counts)
        return self._tree

    @property
    def nbytes(self) -> int:
        """Bytes held now: weights, this epoch's examples and the history."""
        ex = self._examples
        ex_bytes = 0 if ex is None else sum(getattr(ex, f).nbytes for f in ex.__dataclass_fields__)
        return self._theta.nbytes + ex_bytes + self.history_.nbytes

    @property
    def done(self) -> bool:
        return self.epoch_ >= self.config.epochs

    @property
    def progress(self) -> float:
        """Fraction of all epochs' tokens passed, in [0, 1]."""
        return min(1.0, self._position() / (len(self.corpus_) * self.config.epochs))

    @property
    def examples(self) -> SkipGramPairs | CbowExamples:
        """This epoch's examples (drawn on first use)."""
        return self._epoch_examples()

    def alpha_at(self, position):
        """Learning rate at token position(s) counted over all epochs: linear decay.

        A scalar position gives a Python float (a NumPy float64 would promote float32 maths).
        """
        cfg = self.config
        frac = np.minimum(1.0, np.asarray(position) / (len(self.corpus_) * cfg.epochs))
        alpha = cfg.alpha - (cfg.alpha - cfg.min_alpha) * frac
        return float(alpha) if alpha.ndim == 0 else alpha

    # ---- training ------------------------------------------------------------------

    def advance(
        self,
        n: int | None = None,
        *,
        epochs: int | None = None,
        alpha: float | None = None,
        callback=None,
        copy: bool = True,
    ) -> Advance:
        """Train on the next ``n`` examples, or up to the end of ``epochs`` epochs.

        ``alpha`` overrides the schedule with a constant learning rate for this call.
        Whole epochs not yet begun (nothing drawn for them) are streamed.
        ``callback(trainer, chunk_loss)``, if given, runs after each chunk of examples
        (``progress``, ``epoch_`` and ``examples_seen_`` are current; the weights are
        published at the end of the call).
        Raises TrainingDiverged (state unchanged) if a loss or weight is not finite.
        ``copy=False`` trains the current weights in place instead of a copy, for a caller
        that holds no other reference to them (the command line: one (2V, d) array less at
        the peak); after a divergence the weights are then lost, not rolled back.
        """
        if (n is None) == (epochs is None):
            raise ValueError("give either n or epochs")
        if n is not None and n < 0:
            raise ValueError("n must be >= 0")
        t0 = time.perf_counter()
        cfg = self.config
        saved = self._save_state()
        start_pos = self._position()
        theta = self._theta.copy() if copy else self._theta  # (2V, d) private copy or in place
        touched = np.zeros(len(theta), dtype=bool)  # (2V,)
        stop_epoch = None if epochs is None else min(cfg.epochs, self.epoch_ + epochs)
        remaining = n if n is not None else np.inf
        loss_sum, count, lr = 0.0, 0, float("nan")
        self._pending = None
        with np.errstate(over="ignore", invalid="ignore"):
            while (
                remaining > 0 and not self.done and (stop_epoch is None or self.epoch_ < stop_epoch)
            ):
                if remaining == np.inf and self.cursor_ == 0 and self._examples is None:
                    loss, done, lr = self._stream_epoch(theta, touched, alpha, saved, callback)
                    loss_sum += loss
                    count += done
                    continue
                ex = self._epoch_examples()
                end = (
                    len(ex) if remaining == np.inf else min(len(ex), self.cursor_ + int(remaining))
                )
                while self.cursor_ < end:
                    c_end = min(end, self.cursor_ + CHUNK)
                    loss, done, lr = self._train_chunk(
                        theta, touched, _rows(ex, self.cursor_, c_end), alpha, saved
                    )
                    loss_sum += loss
                    count += done
                    remaining -= done
                    if callback is not None:
                        callback(self, loss / max(done, 1))
                if self.cursor_ >= len(ex):
                    self._finish_epoch()
        rows = np.flatnonzero(touched)  # (n,) rows of theta
        finite = all(
            np.isfinite(theta[rows[i : i + ROW_BLOCK]]).all()  # (block, d): no copy of theta
            for i in range(0, len(rows), ROW_BLOCK)
        )
        if not finite:
            self._restore(saved)
            raise TrainingDiverged(self._diverged_message(lr))
        self._publish(theta)
        V = len(self.vocab_)
        rows_in, rows_out = rows[rows < V], rows[rows >= V] - V
        mean_loss = loss_sum / count if count else float("nan")
        if count:
            self.history_.add_loss(self.examples_seen_, mean_loss)
            self._snapshot()
        return Advance(
            examples=count,
            loss=mean_loss,
            rows_in=rows_in,
            rows_out=rows_out,
            alpha=float(lr),
            seconds=time.perf_counter() - t0,
            words=int(round(self._position() - start_pos)),
            epoch=self.epoch_,
            done=self.done,
        )

    def explain_next(self, alpha: float | None = None) -> Step:
        """The forward pass, gradients and update of the next example, without applying it."""
        if self.done:
            raise CorpusError("Training is finished: reset to start again.")
        if self._pending is not None and self._pending[0] == self.examples_seen_:
            return self._pending[1]
        ex = self._epoch_examples()
        while len(ex) == 0:  # subsampling left this epoch without an example: on to the next
            self._finish_epoch()
            if self.done:
                raise CorpusError(
                    "Training is finished: subsampling left the last epoch without an example."
                )
            ex = self._epoch_examples()
        i = self.cursor_
        lr = float(alpha if alpha is not None else self.alpha_at(self._position()))
        cfg = self.config
        negs = (
            self.sampler_.draw(self._rng, cfg.negative)
            if cfg.loss == "negative"
            else np.empty(0, np.int32)
        )
        if isinstance(ex, SkipGramPairs):
            inputs, output = np.array([ex.target[i]]), int(ex.context[i])
        else:
            inputs, output = ex.contexts[i], int(ex.target[i])
        tree = self.tree_ if cfg.loss == "hs" else None
        step = sgd_step(
            cfg.model, cfg.loss, inputs, output, negs, self.W_in_, self.W_out_, lr,
            cfg.cbow_update, tree,
        )  # fmt: skip
        self._pending = (self.examples_seen_, step)
        return step

    def step(self, alpha: float | None = None) -> Step:
        """Train on exactly one example with the per-example code; returns its explanation."""
        s = self.explain_next(alpha)
        if not (np.isfinite(s.loss) and np.isfinite(s.W_in).all() and np.isfinite(s.W_out).all()):
            raise TrainingDiverged(self._diverged_message(s.alpha, per_example=True))
        self._pending = None
        self._publish(np.concatenate([s.W_in, s.W_out]))
        self.examples_seen_ += 1
        self.cursor_ += 1
        self._epoch_loss = (self._epoch_loss[0] + s.loss, self._epoch_loss[1] + 1)
        if self.cursor_ >= len(self._examples):
            self._finish_epoch()
        self.history_.add_loss(self.examples_seen_, s.loss)
        return s

    # ---- internals ------------------------------------------------------------------

    def _position(self) -> float:
        """Tokens passed so far, over all epochs (drives the learning-rate decay)."""
        if self.cursor_ == 0:
            return float(self.epoch_ * len(self.corpus_))
        if self._examples is None:  # streaming this epoch
            return float(self.epoch_ * len(self.corpus_) + self._stream_token)
        tok = self._examples.token[min(self.cursor_, len(self._examples) - 1)]
        return float(self.epoch_ * len(self.corpus_) + tok)

    def _epoch_examples(self):
        """This epoch's examples, all at once (the lesson pages show them)."""
        if self._examples is None:
            keep_rng, window_rng, self._rng = epoch_generators(self.config.seed, self.epoch_)
            if self._corpus is None:
                self._corpus = self.corpus_.to_corpus()
            corpus = self._corpus
            self._examples = self._make_examples(corpus, 0, keep_rng, window_rng)
        return self._examples

    def _make_examples(self, corpus: Corpus, offset: int, keep_rng, window_rng, parallel=True):
        """The examples of ``corpus``, a piece of the corpus starting at token ``offset``."""
        cfg = self.config
        kwargs = dict(
            dynamic=cfg.dynamic_window, keep_probs=self._keep, rng=keep_rng, window_rng=window_rng
        )
        if cfg.model == "cbow":
            longest = self.corpus_.longest_sentence  # the whole corpus's width 2W
            ex = cbow_examples(corpus, cfg.window, longest=longest, **kwargs)
            if offset:
                ex = CbowExamples(
                    target=ex.target,
                    contexts=ex.contexts,
                    token=ex.token + offset,
                    context_tokens=np.where(ex.context_tokens >= 0, ex.context_tokens + offset, -1),
                )
            return ex
        if self._numba():  # the same pairs, expanded by compiled code
            expand = self._fast().expand_pairs
            kwargs["expand"] = expand if parallel else self._fast().expand_pairs_serial
        ex = skipgram_pairs(corpus, cfg.window, **kwargs)
        if offset:
            ex.token[:] += offset  # fresh arrays: global token indices
            ex.context_token[:] += offset
        return ex

    def _stream_epoch(self, theta, touched, alpha, saved, callback):
        """Train the whole current epoch, holding one chunk of examples at a time.

        The pieces' examples are cut into the same chunks of CHUNK examples as
        ``advance`` cuts the materialised epoch: the same batches, negatives and result.
        With numba, a helper thread draws the next chunk while the kernel trains one.
        Returns (loss sum, examples, lr of the last batch).
        """
        keep_rng, window_rng, self._rng = epoch_generators(self.config.seed, self.epoch_)
        helper = self._numba()
        chunks = self._stream_chunks(keep_rng, window_rng, self._rng, parallel=not helper)
        chunks = _ahead(chunks) if helper else chunks
        loss_sum, count, lr = 0.0, 0, float("nan")
        try:
            for part, drawn in chunks:
                loss, done, lr = self._train_chunk(theta, touched, part, alpha, saved, drawn)
                self._stream_token = int(part.token[done - 1]) if done else self._stream_token
                loss_sum += loss
                count += done
                if callback is not None:
                    callback(self, loss / max(done, 1))
        finally:
            chunks.close()  # stops the helper thread if training stopped early
        self._finish_epoch()
        return loss_sum, count, lr

    def _stream_chunks(self, keep_rng, window_rng, noise_rng, parallel: bool = True):
        """This epoch's chunks of CHUNK examples (the last one shorter), each with its drawn
        outputs, made from ``STREAM_TOKENS`` tokens of the corpus at a time."""
        pending, n_pending = [], 0  # examples drawn but not handed out yet
        pieces = self.corpus_.chunks(STREAM_TOKENS)
        while True:
            piece = next(pieces, None)
            if piece is not None:
                ex = self._make_examples(piece[1], piece[0], keep_rng, window_rng, parallel)
                pending.append(ex)
                n_pending += len(ex)
                if n_pending < CHUNK:
                    continue
            if not pending:
                return
            ex = _concat(pending)
            n_out = len(ex) if piece is None else n_pending // CHUNK * CHUNK
            for lo in range(0, n_out, CHUNK):
                part = _rows(ex, lo, min(lo + CHUNK, n_out))
                yield part, self._draw_outputs(part, parallel, noise_rng)
            if piece is None:
                return
            pending, n_pending = [_rows(ex, n_out, len(ex))], len(ex) - n_out

    def _finish_epoch(self) -> None:
        total, n = self._epoch_loss
        if n:
            self.history_.end_epoch(self.examples_seen_, total / n)
        self._epoch_loss = (0.0, 0)
        self.epoch_ += 1
        self.cursor_ = 0
        self._examples = None

    def _publish(self, theta: np.ndarray) -> None:
        """Make a new parameter array current; W_in_/W_out_ are views of it."""
        V = len(theta) // 2
        self._theta = theta  # (2V, d)
        self.W_in_ = theta[:V]  # (V, d) the embedding matrix E
        self.W_out_ = theta[V:]  # (V, d) the output matrix

    def _draw_outputs(self, ex, parallel: bool = True, rng=None):
        """(outputs, signs) of the examples ``ex``: the true word and its negatives drawn
        from this epoch's generator ``rng`` (default ``_rng``) (n, 1+k), the full softmax's
        targets (n,), or the Huffman path's nodes and signs (n, L) each; signs is None but
        for "hs"."""
        cfg = self.config
        truth = ex.context if isinstance(ex, SkipGramPairs) else ex.target  # (n,)
        if cfg.loss == "softmax":
            return truth, None  # (n,)
        if cfg.loss == "hs":
            points, path_signs = self._hs_arrays()  # (V, L), (V, L)
            return points[truth], path_signs[truth]  # (n, L), (n, L)
        rng = self._rng if rng is None else rng
        u = rng.random((len(ex), cfg.negative))  # (n, k) one uniform per noise draw
        if self._numba():
            return self._fast().noise_outputs(self.sampler_, truth, u, parallel), None
        return self.sampler_.outputs(truth, u), None  # (n, 1+k) true word, then noise

    def _train_chunk(self, theta, touched, ex, alpha: float | None, saved, drawn=None):
        """Train the examples ``ex`` (the next of this epoch) in minibatches; advances the
        cursor and returns (loss sum, examples done, lr). Rolls back and raises
        TrainingDiverged if a batch goes non-finite. ``drawn``: their (outputs, signs)
        if already drawn (``_draw_outputs``).

        Negatives for the whole chunk are drawn at once, so both backends see the same ones.
        """
        cfg = self.config
        bs, n = cfg.batch_size, len(ex)
        inputs = ex.target if isinstance(ex, SkipGramPairs) else ex.contexts  # (n,) / (n, 2W)
        outputs, signs = self._draw_outputs(ex) if drawn is None else drawn
        starts = np.arange(0, n, bs)  # first example of each batch
        if alpha is not None:
            alphas = np.full(len(starts), float(alpha))  # (n_batches,)
        else:
            alphas = self.alpha_at(
                self.epoch_ * len(self.corpus_) + ex.token[starts]
            )  # (n_batches,)
        args = (theta, len(self.vocab_), inputs, outputs, alphas, bs, touched)
        exact = cfg.cbow_update == "gradient"
        if self._numba():
            if self._pace is None:  # one or more threads, whichever trains faster here
                self._pace = self._fast().ThreadPace(cfg.threads)
            threads = self._pace.choose()
            t0 = time.perf_counter()
            loss, n_ok = self._fast().train_range(cfg.model, *args, threads=threads, exact=exact)
            self._pace.record(threads, time.perf_counter() - t0, n_ok * bs)
        else:
            loss, n_ok = batch.train_range(cfg.model, cfg.loss, *args, exact=exact, signs=signs)
        done = min(n, n_ok * bs)
        lr = float(alphas[min(n_ok, len(alphas) - 1)])
        self._epoch_loss = (self._epoch_loss[0] + loss, self._epoch_loss[1] + done)
        self.examples_seen_ += done
        self.cursor_ += done
        if done < n:  # a batch went non-finite
            self._restore(saved)
            raise TrainingDiverged(self._diverged_message(lr))
        return loss, done, lr

    def _numba(self) -> bool:
        """Whether this run uses the compiled kernels (negative sampling only)."""
        return self.backend_ == "numba" and self.config.loss == "negative"

    @staticmethod
    def _fast():
        from . import fast  # imported on first use: numba is optional

        return fast

    def _hs_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(V, L) inner-node ids of each word's path (-1 pads) and (V, L) signs 1 - 2 c_j
        (0 at padding), in the weights' dtype; built once per trainer."""
        if self._hs is None:
            tree = self.tree_
            signs = np.where(tree.points >= 0, 1 - 2 * tree.codes.astype(np.int64), 0)  # (V, L)
            self._hs = (tree.points, signs.astype(self.config.dtype))
        return self._hs

    def _snapshot(self) -> None:
        epoch = self.epoch_ + (
            self.cursor_ / len(self._examples) if self._examples is not None else 0.0
        )
        self.history_.offer_snapshot(
            self.examples_seen_, epoch, self.W_in_, self.W_out_, self.config.snapshot_rows
        )

    def _save_state(self) -> "_Saved":
        """Everything an advance changes besides the weights (for rolling back)."""
        rng_state = None if self._rng is None else self._rng.bit_generator.state
        return _Saved(self.epoch_, self.cursor_, self.examples_seen_, self._examples, self._rng,
                      rng_state, self._epoch_loss, len(self.history_.epoch_loss))  # fmt: skip

    def _restore(self, saved: "_Saved") -> None:
        self.epoch_, self.cursor_ = saved.epoch, saved.cursor
        self.examples_seen_, self._examples = saved.examples_seen, saved.examples
        self._rng, self._epoch_loss = saved.rng, saved.epoch_loss
        if self._rng is not None:
            self._rng.bit_generator.state = saved.rng_state
        self.history_.keep_epochs(saved.n_epoch_losses)

    def _diverged_message(self, lr: float, per_example: bool = False) -> str:
        return diagnose.diverged_message(self, lr, per_example)  # why, and what to change
