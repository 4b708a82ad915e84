"""German-like prose from a seeded random generator: sentences, paragraphs, titles, Markdown bodies."""

from __future__ import annotations

import random
import re

import words as w

# Sentence patterns. {N} noun phrase (nominative), {A} accusative, {D} dative, {V} verb (3rd person),
# {I} verb (1st person), {F} infinitive, {J} predicative adjective, {R} adverb.
SENTENCES = (
    "{N} {V} {A} {R}.",
    "{R} {V} {N} {A}.",
    "Ich {I} {A}, weil {N} {J} ist.",
    "Wer {A} {V}, {V} {R} auch {A}.",
    "{N} ist {R} {J}, und {N} bleibt {J}.",
    "Mit {D} {V} {N} {R} {A}.",
    "Was {V} {N}, wenn {N} {J} wird?",
    "Zwischen {D} und {D} liegt {N}.",
    "{N} {V} {A}, doch {N} {V} {A} {R}.",
    "Ich {I} {R}, dass {N} {A} {V}.",
    "Manchmal genügt {N}, um {A} zu {F}.",
    "Es braucht {A} und {A}, damit {N} {J} wird.",
    "Nach {D} {V} {N} {A} nicht mehr.",
    "Ich {I} {A} und {I} {A}.",
)
PROMPTS = (
    "Wann haben Sie zuletzt {A} bewusst erlebt?",
    "Was bedeutet {N} für Sie?",
    "Wo {V} {N} Ihren Alltag?",
    "Welche Rolle spielt {N} in Ihrem Leben?",
    "Wie viel Zeit schenken Sie {D}?",
    "Woran erkennen Sie {A} bei anderen Menschen?",
    "Was würde sich ändern, wenn {N} {J} wäre?",
)
_SLOT = re.compile(r"\{([NADVIFJR])\}")
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{6,}")


class Prose:
    """Makes German-like text; the same seed gives the same text."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def noun(self) -> tuple[str, str]:
        """Return (gender, noun), now and then a compound ("Lebenszeit")."""
        gender = self.rng.choice("mmffffnn")
        noun = self.rng.choice(w.NOUNS[gender])
        if self.rng.random() < 0.15:
            noun = self.rng.choice(w.PREFIXES) + noun.lower()
        return gender, noun

    def phrase(self, case: str) -> str:
        """Return a noun phrase with article, sometimes with an adjective: "den stillen Abschied"."""
        gender, noun = self.noun()
        article = w.ARTICLES[case][gender]
        if self.rng.random() < 0.3:
            adjective = self.rng.choice(w.ADJECTIVES) + w.WEAK_ENDINGS[case][gender]
            return f"{article} {adjective} {noun}"
        return f"{article} {noun}"

    def fill(self, pattern: str) -> str:
        """Fill the slots of a pattern."""
        pick = {
            "N": lambda: self.phrase("nom"),
            "A": lambda: self.phrase("acc"),
            "D": lambda: self.phrase("dat"),
            "V": lambda: self.rng.choice(w.VERBS_3RD),
            "I": lambda: self.rng.choice(w.VERBS_1ST),
            "F": lambda: self.rng.choice(w.INFINITIVES),
            "J": lambda: self.rng.choice(w.PREDICATES),
            "R": lambda: self.rng.choice(w.ADVERBS),
        }
        text = _SLOT.sub(lambda m: pick[m.group(1)](), pattern)
        return text[0].upper() + text[1:]

    def sentence(self, emphasis: float = 0.12) -> str:
        """Return one sentence; some get one *emphasized* word."""
        text = self.fill(self.rng.choice(SENTENCES))
        if self.rng.random() < emphasis:
            found = list(_WORD.finditer(text))
            if found:
                m = self.rng.choice(found)
                text = f"{text[: m.start()]}*{m.group()}*{text[m.end() :]}"
        return text

    def paragraph(self, target: int) -> str:
        """Return a paragraph of about `target` words."""
        sentences: list[str] = []
        count = 0
        while count < target:
            s = self.sentence()
            sentences.append(s)
            count += s.count(" ") + 1
        return " ".join(sentences)

    def title(self) -> str:
        """Return a title such as "Stille Begegnung" or "Über den Abschied"."""
        kind = self.rng.randrange(4)
        gender, noun = self.noun()
        if kind == 0:
            return f"{noun} und {self.noun()[1]}"
        if kind == 1:
            return "Über " + self.phrase("acc")
        if kind == 2:
            return self.rng.choice(w.ADJECTIVES).capitalize() + w.STRONG_ENDINGS[gender] + " " + noun
        return f"Was {self.phrase('nom')} {self.rng.choice(w.VERBS_3RD)}"

    def prompt(self, pattern: str) -> str:
        """Return a reflection question from a pattern of PROMPTS."""
        return self.fill(pattern)


def markdown_body(prose: Prose, target_words: int) -> str:
    """Return a Markdown body of about `target_words` words: paragraphs, ## headings, a quote and a list."""
    rng = prose.rng
    paragraphs: list[str] = []
    count = 0
    while count < target_words - 60:
        paragraphs.append(prose.paragraph(rng.randint(60, 140)))
        count += paragraphs[-1].count(" ") + 1
    sections = min(rng.randint(3, 5), max(1, len(paragraphs) - 2))
    heads = set(rng.sample(range(2, max(3, len(paragraphs))), sections))
    quote_at = rng.randrange(1, max(2, len(paragraphs)))
    list_at = rng.randrange(1, max(2, len(paragraphs)))
    blocks: list[str] = []
    for i, para in enumerate(paragraphs):
        if i in heads:
            blocks.append("## " + prose.title())
        blocks.append(para)
        if i == quote_at:
            blocks.append("> „" + prose.paragraph(25) + "“")
        if i == list_at:
            blocks.append("\n".join("- " + prose.sentence(0.3) for _ in range(rng.randint(3, 5))))
    return "\n\n".join(blocks) + "\n"
