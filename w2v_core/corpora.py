"""Small built-in corpora to train on without uploading anything.

Two are the classic one-liners from word2vec tutorials ("fox", "nlp"). The
other three are toy corpora in which a tiny model finds structure within
seconds: each is built from a handful of sentence patterns, so words of one
kind share their neighbours. The patterns are expanded in a fixed order (no
randomness), so a preset is the same text on every run, one sentence per line,
and each uses well under 60 distinct words so a similarity heatmap stays legible.
"""

from dataclasses import dataclass

from .errors import CorpusError


@dataclass(frozen=True)
class Preset:
    """A named corpus the app can offer in its picker."""

    key: str
    title: str
    description: str
    text: str


# --------------------------------------------------------------------------
# royalty: gender x (royal or not) x (adult or young)

# word, subject pronoun, possessive, royal?, adult?
_PEOPLE = (
    ("king", "he", "his", True, True),
    ("queen", "she", "her", True, True),
    ("prince", "he", "his", True, False),
    ("princess", "she", "her", True, False),
    ("man", "he", "his", False, True),
    ("woman", "she", "her", False, True),
    ("boy", "he", "his", False, False),
    ("girl", "she", "her", False, False),
)


# royal and everyday things: what each kind of person has
_ROYAL_THINGS = ("palace", "castle", "throne", "crown")
_EVERYDAY_THINGS = ("cottage", "house", "chair", "hat")


def _royalty_sentences(w: str, he: str, his: str, royal: bool, adult: bool) -> list[str]:
    """A person's sentences. Each attribute sits within two words of the person, so a
    window of 2 sees it; gender has the most sentences (4), royalty 2, age 1, so
    the strongest direction in the vectors is gender, then royalty, then age."""
    adj = "royal" if royal else "common"
    hat = _ROYAL_THINGS[3] if royal else _EVERYDAY_THINGS[3]
    return [
        f"the {w} said {he} was tired",
        f"the {w} rides {his} horse",
        f"the {w} and {his} friend",
        f"the {w} lost {his} {hat}",
        f"the {adj} {w} waves",
        f"a {adj} {w} arrives",
        f"the {'old' if adult else 'young'} {w} sleeps",
    ]


def _thing_sentences(t: str, royal: bool) -> list[str]:
    return [
        f"they built a {'royal' if royal else 'common'} {t}",
        f"the {t} looks {'golden' if royal else 'plain'}",
        f"a {'golden' if royal else 'plain'} {t} stands there",
    ]


def _royalty_lines() -> list[str]:
    per_person = [_royalty_sentences(*person) for person in _PEOPLE]
    lines = [line for same_pattern in zip(*per_person, strict=True) for line in same_pattern]
    things = [(t, True) for t in _ROYAL_THINGS] + [(t, False) for t in _EVERYDAY_THINGS]
    per_thing = [_thing_sentences(*thing) for thing in things]
    return lines + [line for same_pattern in zip(*per_thing, strict=True) for line in same_pattern]


# --------------------------------------------------------------------------
# fruit: what each fruit becomes, where it grows, how it tastes

# fruit, dessert, plant, taste, colour (None: say nothing about its colour)
_FRUITS = (
    ("apple", "pie", "tree", "sweet", "red"),
    ("orange", "cake", "tree", "sweet", None),
    ("grape", "jam", "vine", "sweet", "purple"),
    ("lemon", "tart", "tree", "sour", "yellow"),
    ("cherry", "pie", "tree", "sweet", "red"),
    ("pear", "tart", "tree", "sweet", "green"),
)


def _fruit_lines() -> list[str]:
    lines = []
    for who in ("i", "we", "they"):
        lines += [f"{who} drink fresh {f} juice" for f, *_ in _FRUITS]
        lines += [f"{who} make {f} {dessert}" for f, dessert, *_ in _FRUITS]
    lines += [f"the {f} grows on a {plant}" for f, _, plant, *_ in _FRUITS]
    lines += [f"a ripe {f} tastes {taste}" for f, _, _, taste, _ in _FRUITS]
    lines += [f"the {f} is {colour}" for f, *_, colour in _FRUITS if colour]
    lines += [f"she picks the {f} from the {plant}" for f, _, plant, *_ in _FRUITS]
    lines += [f"he washes and eats the {f}" for f, *_ in _FRUITS]
    lines += [f"the market sells {f} juice and {f} {dessert}" for f, dessert, *_ in _FRUITS]
    return lines


# --------------------------------------------------------------------------
# animals and vehicles: the same sentence shapes, different verbs and places

_ANIMALS = ("dog", "cat", "horse", "cow", "sheep", "pig")
_VEHICLES = ("car", "bus", "truck", "van", "taxi", "motorbike")


def _animals_vehicles_lines() -> list[str]:
    animal_patterns = (
        "the {} lives on the farm",
        "the farmer feeds the {}",
        "the {} sleeps in the barn",
        "the {} drinks water from the pond",
        "the {} runs across the field",
        "the hungry {} waits for food",
        "the vet visits the sick {}",
    )
    vehicle_patterns = (
        "the {} drives down the road",
        "the driver parks the {}",
        "the {} needs more fuel",
        "the {} stops at the garage",
        "the mechanic repairs the {}",
        "a new {} uses less fuel",
        "the {} waits at the traffic lights",
    )
    lines = []
    for a, v in zip(animal_patterns, vehicle_patterns, strict=True):
        lines += [a.format(w) for w in _ANIMALS]
        lines += [v.format(w) for w in _VEHICLES]
    return lines


# --------------------------------------------------------------------------
# the presets and their word categories


def _preset(key: str, title: str, description: str, lines: list[str] | str) -> Preset:
    text = lines if isinstance(lines, str) else "\n".join(lines)
    return Preset(key, title, description, text)


PRESETS: dict[str, Preset] = {
    p.key: p
    for p in (
        _preset(
            "fox",
            "The quick brown fox",
            "One sentence, nine tokens: small enough to follow every training pair by hand.",
            "the quick brown fox jumped over the lazy dog",
        ),
        _preset(
            "nlp",
            "I like deep learning",
            "Three short sentences of prose, split at full stops, as in many word2vec tutorials.",
            "I like deep learning. I like NLP. I enjoy flying.",
        ),
        _preset(
            "royalty",
            "Kings and queens",
            "Royal and ordinary people, male and female, adult and young: try king - man + woman.",
            _royalty_lines(),
        ),
        _preset(
            "fruit",
            "Fruit and juice",
            "Fruits with their juices, desserts, plants, tastes and colours.",
            _fruit_lines(),
        ),
        _preset(
            "animals_vehicles",
            "Animals and vehicles",
            "Farm animals and road vehicles in sentences of the same shape "
            "but with different verbs and places.",
            _animals_vehicles_lines(),
        ),
    )
}

_CATEGORIES: dict[str, dict[str, str]] = {
    "royalty": {
        **{w: "male" if he == "he" else "female" for w, he, *_ in _PEOPLE},
        **dict.fromkeys(_ROYAL_THINGS, "royal thing"),
        **dict.fromkeys(_EVERYDAY_THINGS, "everyday thing"),
    },
    "fruit": {
        **{f: "fruit" for f, *_ in _FRUITS},
        **dict.fromkeys(("juice", "pie", "cake", "jam", "tart"), "food"),
        **dict.fromkeys(("tree", "vine"), "plant"),
        **dict.fromkeys(("sweet", "sour"), "taste"),
        **dict.fromkeys(("red", "purple", "yellow", "green"), "colour"),
    },
    "animals_vehicles": {
        **dict.fromkeys(_ANIMALS, "animal"),
        **dict.fromkeys(_VEHICLES, "vehicle"),
        **dict.fromkeys(("farm", "farmer", "barn", "field", "pond", "vet"), "farm"),
        **dict.fromkeys(("road", "driver", "fuel", "garage", "mechanic", "traffic"), "road"),
    },
}


def _check_key(key: str) -> None:
    if key not in PRESETS:
        valid = ", ".join(PRESETS)
        raise CorpusError(f"Unknown preset corpus {key!r}; choose one of: {valid}.")


def preset_text(key: str) -> str:
    """The raw text of a preset corpus."""
    _check_key(key)
    return PRESETS[key].text


def preset_categories(key: str) -> dict[str, str]:
    """Word -> category for a toy preset (empty for presets without categories)."""
    _check_key(key)
    return dict(_CATEGORIES.get(key, {}))
