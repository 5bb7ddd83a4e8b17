"""The guided tour's text: one Step per screen, in lesson order (drawn by ``lab.tour``).

Each step names a page and the sections of it that carry one idea; the sections are the
page's own live views, so the numbers are those of the current corpus and model.
"""

from lab.tour import Step

TOUR: tuple[Step, ...] = (
    # ---- 1. Text and vocabulary
    Step(
        "text.py",
        ("intro", "tokens"),
        "**A network reads numbers, not words.** The first step cuts the text into tokens.",
        "Look at the tokens of your corpus: what happened to capitals and punctuation?",
    ),
    Step(
        "text.py",
        ("vocabulary", "min_count"),
        "**Each word gets an id: its row number, by frequency.** A few words are very common, "
        "most are rare (Zipf's law), and the rarest can be dropped.",
        "Find the most frequent word and its id. Move the min_count preview: what is lost?",
    ),
    Step(
        "text.py",
        ("one_hot", "lookup", "exercises"),
        "**A one-hot vector is all zeros but one 1.** Multiplying it by W_in just picks that "
        "word's row: that row *is* the word's vector.",
        "Why is the cosine between any two one-hot vectors 0? Try the exercises.",
    ),
    # ---- 2. Co-occurrence
    Step(
        "cooccurrence.py",
        ("intro", "matrix"),
        "**You know a word by the company it keeps.** Count which words appear within a "
        "window of each other.",
        "Change the window: which cells fill in? How much of the matrix stays zero?",
    ),
    Step(
        "cooccurrence.py",
        ("rows", "similar"),
        "**Words used alike have rows that look alike.** The cosine of two rows measures it.",
        "Which pairs of words have the most similar rows? Do they mean similar things?",
    ),
    Step(
        "cooccurrence.py",
        ("examples",),
        "**Two classic small matrices**, from the course notes and the article.",
        "Switch *Keep punctuation* on: the 8 × 8 matrix of the notes appears. How alike are "
        "*like* and *love*?",
    ),
    Step(
        "cooccurrence.py",
        ("svd", "link", "exercises"),
        "**Counts can be squeezed into short dense vectors (SVD)**, and skip-gram's pairs are "
        "exactly these counts: predicting and counting are linked.",
        "Compare the SVD neighbours with what you expect. Then try the exercises.",
    ),
    # ---- 3. Training pairs
    Step(
        "pairs.py",
        ("idea", "window"),
        "**Training examples come from a window sliding over each sentence.** Skip-gram "
        "predicts each context word from the target; CBOW the target from its context.",
        "Play the window over a sentence and watch the pairs grow.",
    ),
    Step(
        "pairs.py",
        ("naming",),
        "**Books name the two words differently.** This bridge says which word is read and "
        "which is predicted, here and in Ng's course (c and t).",
        "Which word's row of W_in is used as h in skip-gram?",
    ),
    Step(
        "pairs.py",
        ("counts", "models", "exercises"),
        "**A wider window makes more pairs**, up to 2W per word; CBOW makes one example per word.",
        "Predict the pairs of a sentence at W = 1, then check.",
    ),
    # ---- 4. Negative sampling
    Step(
        "negatives.py",
        ("idea", "cost"),
        "**A softmax scores every word of the vocabulary for every example.** Negative "
        "sampling asks k + 1 yes/no questions instead.",
        "How many dot products does one example cost with the softmax, and with k negatives?",
    ),
    Step(
        "negatives.py",
        ("noise", "draw"),
        "**Noise words are drawn in proportion to count^0.75**: frequent words often, rare "
        "words a little more often than their counts say.",
        "Draw again a few times: which words keep coming back?",
    ),
    Step(
        "negatives.py",
        ("nce", "exercises"),
        "**Negative sampling is not a cheaper softmax**: it drops NCE's correction, and fits a "
        "shifted PMI instead of the softmax's probabilities.",
        "Try the exercises.",
    ),
    # ---- 5. The model and one SGD step
    Step(
        "model.py",
        ("intro", "network"),
        "**Word2vec is a network with one hidden layer and no non-linearity.** Its first "
        "weight matrix W_in is the embedding matrix E.",
        "Read the shapes: V words, d dimensions. Change d in the sidebar.",
    ),
    Step(
        "model.py",
        ("ng_shapes", "names"),
        "**Same network, other notation.** In Ng's course E is d × V (E = W_inᵀ), e_c is a "
        "column, and θ_t is a d × 1 vector.",
        "What shape is θ_t at your d?",
    ),
    Step(
        "model.py",
        ("example", "forward", "scores"),
        "**One example, forward**: h is the input word's row, the scores are dot products "
        "with rows of W_out, and the loss says how wrong they are.",
        "Pick the noise word yourself (the article uses *sheep*) and watch the loss change.",
    ),
    Step(
        "model.py",
        ("backward", "update"),
        "**Backward and update**: the gradient reaches the input word's row of W_in too, so "
        "E is learned, not only the last layer.",
        "Which rows of W_in and W_out move? Switch to *at initialisation*: why is the W_in "
        "gradient zero there?",
    ),
    Step(
        "model.py",
        ("gradcheck", "output_layer", "exercises"),
        "**The maths is checked** by central differences; after training, W_out is usually "
        "dropped and W_in kept.",
        "Compare neighbours from W_in, W_out and both. Then try the exercises.",
    ),
    # ---- Live training
    Step(
        "train.py",
        ("intro", "controls", "metrics", "heatmaps"),
        "**Training is many small steps.** Each example changes the input word's row of W_in "
        "(= E) and a few rows of W_out: the outlined rows.",
        "Press Start at the Lecture pace: the first ticks train one example each. Pause and "
        "press Step to see which example comes next.",
    ),
    Step(
        "train.py",
        ("controls", "projection", "loss"),
        "**Words that share contexts drift together**, while the loss falls.",
        "Let it run: which words gather first? Switch the projection to t-SNE.",
    ),
    Step(
        "train.py",
        ("controls", "neighbours", "objective", "exercises"),
        "**What the model learned is in the neighbours.** The loss is the negative of the "
        "objective averaged over the examples.",
        "Predict king's nearest neighbour after training, then check.",
    ),
)
