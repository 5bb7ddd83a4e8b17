"""A synthetic corpus whose right answers we know in advance.

Sentences come from small English templates whose slots are filled at random
(numpy ``Generator``, so a seed gives the same text every time). Because we
wrote the templates, we know which words *should* end up close together:

* **categories** - every content word belongs to one group (royalty, family,
  person, country, capital, nationality, animal, vehicle, fruit, colour). Words
  of a group are dropped into the same templates, so they share contexts and a
  trained model should place them near each other.
* **analogies** - a:b :: c:d quadruples for four relations: male -> female,
  country -> capital, country -> nationality and adult animal -> young animal.

Gender is a *relation*, not a category: "king" and "queen" sit in one group
(royalty), "man" and "woman" in another (person). Male and female words share
every template of their group and differ only in pronouns (he/his against
she/her), so male -> female is one small, shared offset across the three
groups. Had gender been the category, the text would have to make "king" more
like "man" than like "queen" - not how real text behaves - and royalty, family
and person would have no separate clusters to find. Adult and young animals
likewise share one group and differ only by "big" against "little".

Each partner pair also owns two phrases that nobody else uses ("rules the
whole kingdom" for king and queen, "barks at the postman" for dog and puppy),
and each country, its capital and its nationality share a dish and appear
together in a few linking sentences. That private context is what makes
king - man + woman land on queen rather than on princess. The mix was tuned
against gensim (skip-gram, 50 dimensions, 5 epochs): the five nearest
categorised neighbours of a word share its category about 98% of the time at
20k tokens and always at 100k, where nearly every analogy is also solved.

**Difficulty** (``difficulty`` in [0, 1], 0 = the text above) makes the scores stop
saturating, with two kinds of noise real text has (Levy & Goldberg 2014 on what the
window size buys):

* filler words ("really", "today", ...) shared by every group are slipped between
  tokens, so a word's nearest neighbours say less about it: a window of 1 sees mostly
  fillers and loses;
* a sentence is often continued ("... while ...") by a sentence of its group's *topic
  mate* (royalty with vehicles, family with fruit, people with colours, nations with
  animals), so far-away context is topical, not functional: a wide window pulls
  kings towards cars and loses too.

So the best window lies in between, and where it lies depends on the difficulty.
"""

from dataclasses import dataclass, field, replace

import numpy as np

from .errors import ConfigError

MIN_TOKENS = 50
MAX_TOKENS = 5_000_000

# --------------------------------------------------------------------------
# Word tables. Partner pairs: (male or adult, female or young, two shared phrases).

ROYALTY = (
    ("king", "queen", "rules the whole kingdom", "signed a new law"),
    ("prince", "princess", "is heir to the throne", "trains with a sword"),
    ("emperor", "empress", "rules a vast empire", "commands a huge army"),
    ("duke", "duchess", "governs the northern duchy", "hosts a hunting party"),
    ("baron", "baroness", "owns the old manor", "collects rent from tenants"),
)
FAMILY = (
    ("father", "mother", "became a parent last year", "reads bedtime stories"),
    ("brother", "sister", "is the eldest sibling", "shares a bedroom with me"),
    ("uncle", "aunt", "visits the cousins every summer", "sends a card at christmas"),
    ("husband", "wife", "got married in june", "wears a wedding ring"),
    ("son", "daughter", "is still a teenager", "does homework after school"),
)
PERSON = (
    ("man", "woman", "is a grown adult", "works in an office"),
    ("boy", "girl", "is a small child", "plays in the playground"),
    ("gentleman", "lady", "has very fine manners", "always speaks politely"),
    ("actor", "actress", "starred in a famous film", "rehearsed lines for the play"),
)
NATIONS = (  # country, capital, nationality, a dish all three are known for
    ("france", "paris", "french", "croissants"),
    ("germany", "berlin", "german", "pretzels"),
    ("italy", "rome", "italian", "pizza"),
    ("spain", "madrid", "spanish", "paella"),
    ("japan", "tokyo", "japanese", "sushi"),
    ("china", "beijing", "chinese", "dumplings"),
    ("russia", "moscow", "russian", "borscht"),
    ("egypt", "cairo", "egyptian", "falafel"),
    ("canada", "ottawa", "canadian", "poutine"),
    ("greece", "athens", "greek", "feta"),
)
ANIMALS = (  # adult, young, two shared phrases
    ("dog", "puppy", "barks at the postman", "chewed an old bone"),
    ("cat", "kitten", "purrs by the fire", "chased a mouse"),
    ("horse", "foal", "gallops across the meadow", "munches hay in the stable"),
    ("cow", "calf", "chews grass all day", "moos very loudly"),
    ("sheep", "lamb", "grows thick wool", "bleats on the hillside"),
    ("pig", "piglet", "rolls in the mud", "sniffs for truffles"),
)
VEHICLES = ("car", "bus", "truck", "train", "bicycle", "plane", "boat", "taxi", "tram", "van")
FRUITS = ("apple", "banana", "grape", "lemon", "cherry", "peach", "pear", "plum", "mango", "melon")
COLOURS = ("red", "green", "blue", "yellow", "purple", "pink", "brown", "black", "white", "grey")

# --------------------------------------------------------------------------
# Templates. A {name} slot is filled from the row drawn for the sentence; a slot
# named in FILLERS is drawn on its own from that list instead.

FILLERS = {
    "who": ("i", "we", "they", "you"),
}

GENDER_TEMPLATES = {
    "royalty": (
        "the {w} sat on {his} throne",
        "the {w} wore {his} golden crown",
        "the royal court bowed as the {w} took {his} seat",
        "the {w} gave {his} speech from the palace balcony",
        "guards protect the {w} and {his} palace",
        "{he} was a wise and powerful {w}",
        "the {w} {fact}",
        "the {w} {fact}",
        "the {w} {fact2}",
        "the {w} {fact2}",
    ),
    "family": (
        "my {w} cooked dinner in {his} kitchen",
        "{who} called our {w} and {he} answered",
        "our {w} spends {his} evenings at home",
        "my {w} said {he} would be home soon",
        "{he} is my favourite {w}",
        "my {w} hugged everyone at {his} birthday party",
        "my {w} {fact}",
        "my {w} {fact}",
        "my {w} {fact2}",
        "my {w} {fact2}",
    ),
    "person": (
        "a {w} walked down the street with {his} friend",
        "the {w} checked {his} watch at the corner",
        "{who} saw a {w} wave {his} hand in the crowd",
        "the {w} lost {his} way and asked for directions",
        "the {w} smiled and {he} waved",
        "{he} was a tall {w} in a long coat",
        "the {w} {fact}",
        "the {w} {fact}",
        "the {w} {fact2}",
        "the {w} {fact2}",
    ),
}
GENDER_PAIR_TEMPLATES = {
    "royalty": ("the {w} danced with the {mate} at the royal ball",),
    "family": ("my {w} and my {mate} came home for dinner",),
    "person": ("a {w} and a {mate} stood in the crowd",),
}

NATION_TEMPLATES = (
    # country alone
    "{country} is a large country",
    "{who} went on holiday to {country}",
    "the border of {country} is very long",
    "the economy of {country} is growing",
    "{country} signed a new trade deal",
    "{country} is famous for its {dish}",
    "{country} makes the best {dish} in the world",
    # capital alone
    "{capital} is a busy city",
    "the mayor of {capital} opened a new museum",
    "the streets of {capital} are crowded",
    "{who} spent a weekend in {capital}",
    "the city of {capital} never sleeps",
    "the cafes of {capital} serve {dish}",
    "a market in {capital} sells fresh {dish}",
    # nationality alone
    "{nat} food is delicious",
    "{who} read a {nat} novel",
    "the {nat} team won the match",
    "{who} listened to {nat} music",
    "he admires {nat} art",
    "{who} ordered some {nat} {dish}",
    "the chef cooked {dish} the {nat} way",
)
NATION_LINK_TEMPLATES = (
    "{capital} is the capital of {country}",
    "the {nat} people live in {country}",
    "the {nat} government meets in {capital}",
)

ANIMAL_TEMPLATES = (
    "the farmer fed the {size} {w}",
    "the {size} {w} sleeps in the barn",
    "the {size} {w} ran across the field",
    "the vet examined the {size} {w}",
    "a {size} {w} stood by the gate",
    "the {w} {fact}",
    "the {w} {fact}",
    "the {w} {fact2}",
    "the {w} {fact2}",
)
VEHICLE_TEMPLATES = (
    "{who} travelled by {w}",
    "the {w} broke down yesterday",
    "the {w} was late this morning",
    "the {w} carries many passengers",
    "the mechanic repaired the {w}",
    "the {w} moved very fast",
)
FRUIT_TEMPLATES = (
    "she ate a ripe {w}",
    "the {w} tastes sweet",
    "{who} bought a {w} at the market",
    "a {w} is a healthy snack",
    "he sliced the {w} for dessert",
    "the {w} was juicy and fresh",
)
COLOUR_TEMPLATES = (
    "{w} is my favourite colour",
    "they painted the wall {w}",
    "the artist mixed {w} paint",
    "the sky turned {w} at dusk",
    "she chose a bright shade of {w}",
    "the door was painted {w}",
)

# share of a group's sentences that use its pair (gender) or link (nation) templates
GENDER_LINK = 0.25
NATION_LINK = 0.5


def _gender_rows(pairs: tuple[tuple[str, str, str, str], ...]) -> list[dict[str, str]]:
    rows = []
    for male, female, fact, fact2 in pairs:
        shared = {"fact": fact, "fact2": fact2}
        rows.append({"w": male, "mate": female, "he": "he", "his": "his", **shared})
        rows.append({"w": female, "mate": male, "he": "she", "his": "her", **shared})
    return rows


def _groups() -> list[tuple[str, list[dict[str, str]], tuple[str, ...], float]]:
    """(kind, rows, templates, weight) for every kind of sentence.

    A group's weight is the number of content words it covers, so every content
    word turns up about equally often.
    """
    groups = []
    for name, pairs in (("royalty", ROYALTY), ("family", FAMILY), ("person", PERSON)):
        rows = _gender_rows(pairs)
        groups.append((name, rows, GENDER_TEMPLATES[name], len(rows) * (1 - GENDER_LINK)))
        groups.append((name, rows, GENDER_PAIR_TEMPLATES[name], len(rows) * GENDER_LINK))
    nations = [{"country": c, "capital": k, "nat": n, "dish": d} for c, k, n, d in NATIONS]
    groups.append(("nation", nations, NATION_TEMPLATES, 3 * len(nations) * (1 - NATION_LINK)))
    groups.append(("nation", nations, NATION_LINK_TEMPLATES, 3 * len(nations) * NATION_LINK))
    animals = [{"w": a, "size": "big", "fact": f, "fact2": g} for a, _, f, g in ANIMALS]
    animals += [{"w": y, "size": "little", "fact": f, "fact2": g} for _, y, f, g in ANIMALS]
    groups.append(("animal", animals, ANIMAL_TEMPLATES, len(animals)))
    for name, words, templates in (
        ("vehicle", VEHICLES, VEHICLE_TEMPLATES),
        ("fruit", FRUITS, FRUIT_TEMPLATES),
        ("colour", COLOURS, COLOUR_TEMPLATES),
    ):
        groups.append((name, [{"w": w} for w in words], templates, len(words)))
    return groups


def all_categories() -> dict[str, str]:
    """Word -> category for every content word the generator can emit."""
    cats: dict[str, str] = {}
    for name, pairs in (("royalty", ROYALTY), ("family", FAMILY), ("person", PERSON)):
        for male, female, *_ in pairs:
            cats[male] = cats[female] = name
    for country, capital, nat, _ in NATIONS:
        cats[country], cats[capital], cats[nat] = "country", "capital", "nationality"
    for adult, young, *_ in ANIMALS:
        cats[adult] = cats[young] = "animal"
    for name, words in (("vehicle", VEHICLES), ("fruit", FRUITS), ("colour", COLOURS)):
        cats.update(dict.fromkeys(words, name))
    return cats


def all_analogies() -> tuple[tuple[str, str, str, str], ...]:
    """a:b :: c:d quadruples, each from two different pairs of one relation."""
    relations = [
        [(m, f) for pairs in (ROYALTY, FAMILY, PERSON) for m, f, *_ in pairs],
        [(country, capital) for country, capital, *_ in NATIONS],
        [(country, nat) for country, _, nat, _ in NATIONS],
        [(adult, young) for adult, young, *_ in ANIMALS],
    ]
    quads = []
    for pairs in relations:
        for i, (a, b) in enumerate(pairs):
            for c, d in pairs[i + 1 :]:
                quads.append((a, b, c, d))
    return tuple(quads)


# --------------------------------------------------------------------------
# Template compilation and vectorised filling.


@dataclass
class _Template:
    fmt: str  # str.format pattern with positional {} slots
    columns: list[tuple[str, tuple[str, ...]]]  # (kind, values); kind "row" or "filler"
    lengths: np.ndarray  # tokens in the sentence, per row
    kind: str = ""  # the group it belongs to (royalty, nation, vehicle, ...)


def _compile(rows: list[dict[str, str]], template: str) -> _Template:
    parts = template.split(" ")
    fixed, columns = 0, []
    row_lengths = np.zeros(len(rows), dtype=np.int64)
    for i, part in enumerate(parts):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            if name in FILLERS:
                columns.append(("filler", FILLERS[name]))
                fixed += 1
            else:
                values = tuple(row[name] for row in rows)
                columns.append(("row", values))
                row_lengths += [len(v.split(" ")) for v in values]
            parts[i] = "{}"
        else:
            fixed += 1
    return _Template(" ".join(parts), columns, row_lengths + fixed)


def _compiled() -> tuple[list[_Template], np.ndarray]:
    """All templates and the probability of drawing each one."""
    templates, probs = [], []
    for kind, rows, group, weight in _groups():
        for t in group:
            templates.append(replace(_compile(rows, t), kind=kind))
            probs.append(weight / len(group))
    p = np.asarray(probs)
    return templates, p / p.sum()


def _cut(lengths: np.ndarray, n_tokens: int) -> int:
    """Index of the last sentence to keep so that the total is closest to n_tokens."""
    cum = np.cumsum(lengths)  # (S,)
    k = min(int(np.searchsorted(cum, n_tokens)), len(cum) - 1)  # first reaching n_tokens
    if k > 0 and n_tokens - cum[k - 1] < cum[k] - n_tokens:
        k -= 1  # stopping one sentence earlier is closer
    return k


# --------------------------------------------------------------------------
# Difficulty: fillers between tokens, and continuations by the topic mate's sentences.

FILLER_WORDS = ("really", "today", "also", "still", "just", "often", "again", "then", "quite",
                "now")  # fmt: skip
CONNECTIVES = ("while", "and", "because", "so", "but")
# kinds of sentence (see _groups) whose sentences continue each other's: topic mates
TOPIC_MATES = {"royalty": "vehicle", "family": "fruit", "person": "colour", "nation": "animal"}
TOPIC_MATES |= {v: k for k, v in TOPIC_MATES.items()}
FILL_AT_FULL = 0.5  # chance of a filler in each gap between tokens at difficulty 1
JOIN_AT_FULL = 1.0  # chance that a sentence is continued at difficulty 1


def _harden(lines: list[str], kinds: np.ndarray, difficulty: float, rng) -> list[str]:
    """Each sentence, maybe continued by a random sentence of its topic mate, with fillers.

    lines: the S sentences; kinds: (S,) their group names. The continuation is copied
    from the original sentences, so every sentence keeps its own ground truth. The random
    draws are made in bulk (a 1M-token corpus has ~80k sentences and ~1.3M gaps).
    """
    S = len(lines)
    by_kind = {k: np.flatnonzero(kinds == k).tolist() for k in np.unique(kinds)}  # kind -> rows
    join = (rng.random(S) < JOIN_AT_FULL * difficulty).tolist()  # (S,) continue this one?
    con = rng.integers(len(CONNECTIVES), size=S).tolist()  # (S,) the connective
    pick = rng.random(S).tolist()  # (S,) which mate sentence, as a fraction of the mates
    joined = []
    for i, (line, kind) in enumerate(zip(lines, kinds.tolist(), strict=True)):
        mates = by_kind.get(TOPIC_MATES[kind], ())
        if join[i] and mates:
            line = f"{line} {CONNECTIVES[con[i]]} {lines[mates[int(pick[i] * len(mates))]]}"
        joined.append(line.split(" "))
    gaps = sum(len(tokens) - 1 for tokens in joined)
    fill = (rng.random(gaps) < FILL_AT_FULL * difficulty).tolist()  # (G,) a filler here?
    picks = rng.integers(len(FILLER_WORDS), size=gaps).tolist()  # (G,) which filler
    out, g = [], 0
    for tokens in joined:
        words = [tokens[0]]
        for t in tokens[1:]:
            if fill[g]:
                words.append(FILLER_WORDS[picks[g]])
            words.append(t)
            g += 1
        out.append(" ".join(words))
    return out


@dataclass(frozen=True)
class GeneratedCorpus:
    """Generated text plus the structure a trained model should recover."""

    text: str  # one sentence per line, lower-case tokens joined by single spaces
    categories: dict[str, str] = field(default_factory=dict)  # word -> category
    analogies: tuple[tuple[str, str, str, str], ...] = ()  # a:b :: c:d

    @property
    def sentences(self) -> list[list[str]]:
        """The text as lists of tokens, one list per line."""
        return [line.split(" ") for line in self.text.split("\n")]

    @property
    def n_tokens(self) -> int:
        """Total number of tokens in the text."""
        return self.text.count(" ") + self.text.count("\n") + 1


def generate_corpus(
    n_tokens: int = 20_000, seed: int = 0, difficulty: float = 0.0
) -> GeneratedCorpus:
    """Fill templates at random until the text holds about ``n_tokens`` tokens.

    The total lands within one sentence of ``n_tokens``. The categories and
    analogies only mention words that actually occur in the returned text.
    ``difficulty`` in [0, 1] adds fillers and topical continuations (``_harden``).
    """
    if isinstance(n_tokens, bool) or not isinstance(n_tokens, int | np.integer):
        raise ConfigError(f"n_tokens must be an integer, not {n_tokens!r}")
    if not MIN_TOKENS <= n_tokens <= MAX_TOKENS:
        raise ConfigError(
            f"n_tokens must be between {MIN_TOKENS:,} and {MAX_TOKENS:,}, not {n_tokens:,}"
        )
    if not isinstance(difficulty, int | float) or not 0.0 <= difficulty <= 1.0:
        raise ConfigError(f"difficulty must lie in [0, 1], not {difficulty!r}")
    rng = np.random.default_rng(seed)
    templates, p = _compiled()
    n_rows = np.array([len(t.lengths) for t in templates])
    offsets = np.concatenate([[0], np.cumsum(n_rows)[:-1]])
    flat_lengths = np.concatenate([t.lengths for t in templates])

    # 1. choose template and row for each sentence, drawing more until long enough
    mean_len = float(p @ np.array([t.lengths.mean() for t in templates]))
    which, row, length = [], [], []
    total = 0
    while total < n_tokens:
        n = int((n_tokens - total) / mean_len * 1.05) + 10
        t = rng.choice(len(templates), size=n, p=p)
        r = (rng.random(n) * n_rows[t]).astype(np.int64)
        lens = flat_lengths[offsets[t] + r]
        which.append(t)
        row.append(r)
        length.append(lens)
        total += int(lens.sum())
    which, row = np.concatenate(which), np.concatenate(row)
    k = _cut(np.concatenate(length), n_tokens)
    which, row = which[: k + 1], row[: k + 1]

    # 2. fill each template's sentences in one go, noting which rows were used
    lines = np.empty(k + 1, dtype=object)
    seen: set[str] = set()
    for j, tmpl in enumerate(templates):
        at = np.flatnonzero(which == j)
        if len(at) == 0:
            continue
        cols = []
        for kind, values in tmpl.columns:
            if kind == "row":
                idx = row[at]
                seen.update(values[r] for r in np.unique(idx))
            else:
                idx = rng.integers(len(values), size=len(at))
            cols.append(np.asarray(values, dtype=object)[idx])
        lines[at] = [tmpl.fmt.format(*vals) for vals in zip(*cols, strict=True)]
    if difficulty > 0:  # 2b. noise, then cut back to about n_tokens
        kinds = np.array([t.kind for t in templates])[which]  # (k+1,) group of each sentence
        lines = _harden(list(lines), kinds, difficulty, rng)
        lines = lines[: _cut(np.array([ln.count(" ") + 1 for ln in lines]), n_tokens) + 1]
        seen = {w for ln in lines for w in ln.split(" ")}
    text = "\n".join(lines)

    # 3. keep only the ground truth whose words made it into the text
    categories = {w: c for w, c in all_categories().items() if w in seen}
    analogies = tuple(q for q in all_analogies() if all(w in categories for w in q))
    return GeneratedCorpus(text, categories, analogies)
