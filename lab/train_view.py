"""Exercises of the Live training page: predict what training does, then let it show you.

Pure: answers come from the trainer as it is (the next example of this epoch, the
vectors after training), never typed in. Skip-gram's input row is the target's
row of W_in (= E); CBOW's are the context words' rows; the rows of W_out scored
are the word to predict and k noise words (Mikolov et al. 2013b).
"""

from lab.escape import md
from lab.exercises import Exercise, instance_rng
from w2v_core.analysis import nearest
from w2v_core.errors import W2VError
from w2v_core.pairs import SkipGramPairs

PAGE = "Live training"


def next_rows(tr) -> Exercise | None:
    """Which words' rows of W_in will the next Step change? (the input words)."""
    if tr.done:
        return None
    ex, i = tr.examples, tr.cursor_
    words = tr.words_
    if isinstance(ex, SkipGramPairs):
        inputs, output = [words[int(ex.target[i])]], words[int(ex.context[i])]
        role = "skip-gram predicts the context word **{o}** from the target word **{t}**"
        said = role.format(o=md(output), t=md(inputs[0]))
    else:
        inputs = list(dict.fromkeys(words[int(j)] for j in ex.contexts[i]))
        output = words[int(ex.target[i])]
        said = (f"CBOW predicts the target word **{md(output)}** from the context words "
                f"**{md(', '.join(inputs))}**")  # fmt: skip
    return Exercise(
        key="train.next_rows", page=PAGE, kind="words", answer=tuple(inputs),
        prompt=f"In the next example {said}. Which words' rows of **W_in** will the next "
        "*Step* change? (Words separated by commas.)",
        explanation="Only the input words' rows of W_in enter the hidden layer h, so only "
        "they get a gradient in W_in; the word to predict and the noise words change rows "
        "of W_out. Press Step twice and look at the outlined rows.",
    )  # fmt: skip


def neighbour_after(tr, seed: int, categories: dict) -> Exercise | None:
    """Which word will be the query's nearest neighbour (cosine of W_in) after training?"""
    words = list(tr.words_)
    if len(words) < 3:
        return None
    liked = [w for w in ("king", "queen", "apple", "dog") if w in words]
    pool = liked or [w for w in words if w in categories] or words[: min(10, len(words))]
    query = pool[0] if liked else pool[int(instance_rng(seed, "train.neighbour").integers(
        len(pool)))]  # fmt: skip
    answer, needs = "", ""
    if tr.done:
        try:
            answer = nearest(tr.W_in_, words, query, k=1)[0][0]
        except W2VError as e:
            needs = md(e)
    else:
        needs = "Write your guess, then train to the last epoch: Check opens when it is done."
    return Exercise(
        key="train.neighbour", page=PAGE, kind="word", answer=answer, needs=needs,
        prompt=f"After training, which word will be **{md(query)}**'s nearest neighbour "
        "(highest cosine between rows of W_in)?",
        explanation="Words that share contexts get similar rows of W_in: the answer is "
        "computed from your trained model, so another seed or corpus may give another word.",
    )  # fmt: skip


def exercises(tr, seed: int, categories: dict) -> list[Exercise]:
    """The page's exercises for this trainer (those that make sense right now)."""
    return [e for e in (next_rows(tr), neighbour_after(tr, seed, categories)) if e is not None]
