"""A small German vocabulary for the benchmark corpus: nouns with gender, verbs, adjectives, adverbs, tags.

Written for this benchmark; the words only need to look and hyphenate like German prose.
"""

from __future__ import annotations

# Nouns by grammatical gender (m, f, n); weak nouns (der Kunde → den Kunden) are left out on purpose.
NOUNS: dict[str, tuple[str, ...]] = {
    "m": (
        "Abschied", "Alltag", "Augenblick", "Besuch", "Beruf", "Blick", "Brief", "Dank", "Fehler", "Garten",
        "Handschlag", "Kontakt", "Markt", "Moment", "Morgen", "Mut", "Raum", "Respekt", "Rückblick", "Schritt",
        "Sinn", "Termin", "Tag", "Umweg", "Verzicht", "Wert", "Wunsch", "Zweifel", "Zufall", "Abend", "Anfang",
        "Humor", "Weg", "Wandel", "Sommer", "Winter", "Stolz", "Austausch", "Kalender", "Anruf", "Besitz",
        "Zusammenhalt", "Vorsatz", "Ratschlag", "Feierabend", "Spaziergang", "Frieden",
    ),
    "f": (
        "Achtung", "Antwort", "Arbeit", "Begegnung", "Beziehung", "Demut", "Entscheidung", "Erfahrung",
        "Erinnerung", "Erreichbarkeit", "Familie", "Frage", "Freundschaft", "Geduld", "Gelassenheit",
        "Gewohnheit", "Hoffnung", "Idee", "Klarheit", "Kraft", "Nachricht", "Nähe", "Pause", "Ruhe", "Sehnsucht",
        "Stille", "Stimme", "Stunde", "Verantwortung", "Wahrheit", "Wertschätzung", "Woche", "Zeit", "Zuversicht",
        "Aufmerksamkeit", "Dankbarkeit", "Einsamkeit", "Geschichte", "Hand", "Reise", "Sprache", "Tür", "Welt",
        "Zukunft", "Höflichkeit", "Neugier", "Ordnung", "Grenze",
    ),
    "n": (
        "Armband", "Bedürfnis", "Buch", "Ende", "Ergebnis", "Gefühl", "Geschenk", "Gespräch", "Gleichgewicht",
        "Herz", "Jahr", "Krankenhaus", "Lachen", "Leben", "Licht", "Netz", "Schweigen", "Spiel", "Telefon",
        "Vertrauen", "Versprechen", "Wissen", "Wort", "Ziel", "Zuhause", "Zimmer", "Fenster", "Lächeln",
        "Handwerk", "Geheimnis", "Projekt", "Gedächtnis", "Angebot", "Interesse", "Staunen", "Zögern",
    ),
}

# First parts of compound nouns ("Lebens" + "zeit" → "Lebenszeit").
PREFIXES = (
    "Lebens", "Arbeits", "Alltags", "Herzens", "Kunden", "Morgen", "Abend", "Familien", "Sonntags", "Winter",
    "Kindheits", "Reise", "Garten", "Freundes", "Nachbarschafts", "Sommer", "Büro", "Küchen",
)

ARTICLES = {
    "nom": {"m": "der", "f": "die", "n": "das"},
    "acc": {"m": "den", "f": "die", "n": "das"},
    "dat": {"m": "dem", "f": "der", "n": "dem"},
}
# Weak adjective endings after a definite article, by case and gender.
WEAK_ENDINGS = {
    "nom": {"m": "e", "f": "e", "n": "e"},
    "acc": {"m": "en", "f": "e", "n": "e"},
    "dat": {"m": "en", "f": "en", "n": "en"},
}
# Strong endings without an article, nominative (for titles: "Stiller Abschied").
STRONG_ENDINGS = {"m": "er", "f": "e", "n": "es"}

VERBS_3RD = (
    "braucht", "sucht", "verändert", "trägt", "prägt", "schenkt", "verlangt", "öffnet", "bewahrt", "stärkt",
    "begleitet", "verdient", "erklärt", "schützt", "erreicht", "ersetzt", "verbindet", "fordert", "kennt",
    "findet", "hält", "nimmt", "gibt", "zeigt", "weckt", "lenkt", "teilt", "spiegelt", "bestimmt", "ermöglicht",
    "übersieht", "vermisst", "erträgt", "beruhigt", "verschiebt",
)
VERBS_1ST = (
    "suche", "brauche", "vermisse", "schätze", "finde", "behalte", "teile", "erkenne", "übe", "lerne",
    "bewahre", "frage", "verstehe", "plane", "merke",
)
INFINITIVES = (
    "verstehen", "bewahren", "ertragen", "verschenken", "erkennen", "ordnen", "teilen", "wagen", "loslassen",
    "annehmen", "planen", "erzählen",
)
# Stems that take adjective endings ("still" → "stille", "stillen", "stiller").
ADJECTIVES = (
    "still", "ehrlich", "schwer", "leicht", "klar", "offen", "fremd", "vertraut", "wertvoll", "knapp", "mutig",
    "wach", "bescheiden", "geduldig", "echt", "kostbar", "gelassen", "freundlich", "unbequem", "alt", "neu",
    "klein", "groß", "warm", "kalt", "lang", "kurz", "ruhig", "tief", "hell", "spät", "früh", "einfach",
    "schwierig", "langsam", "schnell", "verlässlich", "leis",
)
# Predicative adjectives (no ending needed).
PREDICATES = (
    "wichtig", "leise", "ehrlich", "schwer", "leicht", "klar", "offen", "fremd", "vertraut", "wertvoll",
    "knapp", "still", "mutig", "müde", "wach", "bescheiden", "geduldig", "zerbrechlich", "selbstverständlich",
    "notwendig", "unbequem", "freundlich", "gelassen", "echt", "kostbar", "ruhig", "spürbar", "greifbar",
)
ADVERBS = (
    "oft", "selten", "heute", "wieder", "kaum", "längst", "behutsam", "bewusst", "leise", "immer",
    "manchmal", "plötzlich", "schließlich", "tatsächlich", "vielleicht", "gerade", "trotzdem", "eigentlich",
    "vermutlich", "nie", "allmählich", "jeden Tag", "am Ende", "im Grunde", "ohne Eile",
)

TAGS = (
    "Achtsamkeit", "Alltag", "Arbeit", "Begegnung", "Beratung", "Beruf", "Beziehung", "Dankbarkeit", "Demut",
    "Digitales", "Ehrenamt", "Entscheidungen", "Erinnerung", "Erreichbarkeit", "Familie", "Freundschaft",
    "Führung", "Gelassenheit", "Gesundheit", "Gewohnheiten", "Glück", "Grenzen", "Heimat", "Hoffnung", "Humor",
    "Kommunikation", "Krankheit", "Kundenbeziehung", "Lernen", "Loslassen", "Mut", "Nachbarschaft", "Natur",
    "Ordnung", "Pausen", "Reisen", "Respekt", "Ruhe", "Selbstständigkeit", "Soziale Medien", "Sprache",
    "Stille", "Trauer", "Vertrauen", "Verzicht", "Wandel", "Wertschätzung", "Zeit", "Zuhören", "Zukunft",
)

SCALE_ENDS = (("trifft nicht zu", "trifft voll zu"), ("nie", "immer"), ("gar nicht", "sehr"))
BAND_TITLES = (
    ("Gelassen", "Teils, teils", "Viel Raum für Veränderung"),
    ("Im Gleichgewicht", "Auf dem Weg", "Zeit für einen Neuanfang"),
    ("Gut aufgestellt", "Manches ist Gewohnheit", "Hier lohnt sich ein Blick"),
)
HINTS = ("Ein Satz genügt.", "Denken Sie an die letzte Woche.", "Notieren Sie ein Beispiel.", "Ohne Bewertung.")
