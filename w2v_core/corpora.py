"""Small built-in corpora to train on without uploading anything.

Two are the classic one-liners from word2vec tutorials ("fox", "nlp"). The
other three are toy corpora in which a tiny model finds structure within
seconds: each is built from a handful of sentence patterns, so words of one
kind share their neighbours. The patterns are expanded in a fixed order (no
randomness), so a preset is the same text on every run, one sentence per line,
and each uses at most 60 distinct words so a similarity heatmap stays legible.

A preset may suggest analogies ("a is to b as c is to d"): its description names
them and Explore asks the first one by default. Each is suggested only because it
comes out right (3CosAdd, Mikolov et al. 2013a) after the default lesson training
in at least 19 of 20 seeds; ``benchmarks/bench_demo.py`` measures it and
``tests/test_demo.py`` pins it.
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
    # (a, b, c, d): a is to b as c is to d, i.e. b - a + c should land on d
    analogies: tuple[tuple[str, str, str, str], ...] = ()


# --------------------------------------------------------------------------
# royalty: gender x (royal or common) x (adult or young)
#
# Eight people, one on each corner of a cube: king, queen, prince, princess, man,
# woman, boy, girl. Every person gets the same sentence patterns, and each pattern
# puts one attribute word within two words of the person (the lesson's window): a
# pronoun for gender, a royal or everyday word for royalty, an adult's or a child's
# word for age. The rest of a pattern is shared by all eight, so the people's
# contexts differ only by their attributes, and their vectors differ by three
# directions that can be added and subtracted: king - man + woman lands on queen.
#
# The pattern counts are measured, not equal: 9 for gender, 14 each for royalty and
# age. Pronouns pull harder than the other attribute words: with 14 gender patterns
# too, gender becomes the strongest direction after the default 20 epochs at d = 10
# and queen falls out of king's three nearest neighbours in 4 seeds of 30; with 6,
# man and woman end up nearly the same vector (cosine 0.99) and b - a + c lands
# nearer to king than to queen in 12 seeds of 30. With 9, all three directions show
# and king's neighbours spread out (queen ~0.85, then man and prince, the rest lower).
# Only "the" stands before a person, and no pattern opens with a phrase like "in the
# palace the king ...": words that mostly predict "the" would point the same way as
# the people and crowd king's neighbours.

# word, gender, royal?, adult?
_PEOPLE = (
    ("king", "male", True, True),
    ("queen", "female", True, True),
    ("prince", "male", True, False),
    ("princess", "female", True, False),
    ("man", "male", False, True),
    ("woman", "female", False, True),
    ("boy", "male", False, False),
    ("girl", "female", False, False),
)

# the words that say each attribute, by placeholder of the patterns below
_GENDER_WORDS = {
    "male": {"he": "he", "his": "his", "self": "himself"},
    "female": {"he": "she", "his": "her", "self": "herself"},
}
_ROYAL_WORDS = {
    True: {"royal": "royal", "rules": "rules", "commands": "commands", "gold": "gold",
           "servants": "servants", "castles": "castles"},
    False: {"royal": "common", "rules": "works", "commands": "obeys", "gold": "wool",
            "servants": "chores", "castles": "chickens"},
}  # fmt: skip
_THINGS = ("gold", "servants", "castles")  # the placeholders that name things people have
_AGE_WORDS = {
    True: {"old": "old", "teaches": "teaches", "drives": "drives", "newspapers": "newspapers"},
    False: {"old": "young", "teaches": "learns", "drives": "plays", "newspapers": "comics"},
}

_GENDER_PATTERNS = (
    "the {w} said {he} was tired",
    "the {w} said {he} was happy",
    "the {w} {self} waves",
    "the {w} and {his} dog",
    "the {w} and {his} cat",
    "the {w} hurt {self}",
    "the {w} lost {his} hat",
    "the {w} said {he} was right",
    "the {w} {self} smiles",
)
_ROYAL_PATTERNS = (
    "the {royal} {w} waves",
    "the {w} is {royal}",
    "the {royal} {w} walks",
    "the {w} {rules} today",
    "the {w} {commands}",
    "the {w} has {servants}",
    "the {w} owns {castles}",
    "the {w} wears {gold}",
    "the {royal} {w} smiles",
    "the {w} looks {royal}",
    "the {royal} {w} sits",
    "the {w} {rules} again",
    "the {royal} {w} sleeps",
    "the {w} feels {royal}",
)
_AGE_PATTERNS = (
    "the {old} {w} sleeps",
    "the {w} is {old}",
    "the {old} {w} walks",
    "the {w} {teaches} today",
    "the {w} {drives}",
    "the {w} reads {newspapers}",
    "the {old} {w} waves",
    "the {w} looks {old}",
    "the {old} {w} smiles",
    "the {w} {teaches} again",
    "the {old} {w} sits",
    "the {w} {drives} again",
    "the {w} {drives} today",
    "the {w} feels {old}",
)


def _royalty_lines() -> list[str]:
    """Every pattern for the eight people in turn, so the text reads in groups of eight."""
    lines = []
    for pattern in _GENDER_PATTERNS + _ROYAL_PATTERNS + _AGE_PATTERNS:
        for w, gender, royal, adult in _PEOPLE:
            words = {**_GENDER_WORDS[gender], **_ROYAL_WORDS[royal], **_AGE_WORDS[adult]}
            lines.append(pattern.format(w=w, **words))
    return lines


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


def _preset(
    key: str, title: str, description: str, lines: list[str] | str, analogies: tuple = ()
) -> Preset:
    text = lines if isinstance(lines, str) else "\n".join(lines)
    return Preset(key, title, description, text, analogies)


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
            (("man", "king", "woman", "queen"),),
        ),
        _preset(
            "fruit",
            "Fruit and juice",
            "Fruits with their juices, desserts, plants, tastes and colours: "
            "try apple is to tree as grape is to ?",
            _fruit_lines(),
            (("apple", "tree", "grape", "vine"),),
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
        # the people by gender; the things royal and common people have, by royalty
        **{w: gender for w, gender, *_ in _PEOPLE},
        **{_ROYAL_WORDS[True][k]: "royal life" for k in _THINGS},
        **{_ROYAL_WORDS[False][k]: "everyday life" for k in _THINGS},
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
