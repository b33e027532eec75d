"""Text analysis shared by indexing and querying, identical for every backend.

Documents and queries go through the same Python code (jieba words, CJK character
bigrams and unigrams, pinyin syllables and initials computed with pypinyin), so the
database backend and Elasticsearch match and rank alike, and no Elasticsearch plugin is
needed. Tokens carry a namespace prefix:

- ``t:`` title (Chinese words, bigrams, single characters; English words, model codes)
- ``m:`` category, merchant, origin, GI marks, catalogue names, attribute values
- ``d:`` description (words and bigrams)
- ``p:`` pinyin of the title and category names: syllables, syllable pairs, whole words
- ``i:`` pinyin initials of every run of 2–6 characters (``rs`` for 人参)
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

TITLE, META, BODY, PINYIN, INITIALS = "t", "m", "d", "p", "i"
RANK_NAMESPACES = (TITLE, PINYIN, INITIALS)
TEXT_NAMESPACES = (TITLE, META, BODY)

MAX_QUERY_CHARS = 100
MAX_CONCEPTS = 8

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:\.[0-9]+)?")
CJK_RUN = re.compile(rf"^[{_CJK}]+$")
TERM_SPLIT = re.compile(r"[,，、;；/\s]+")

# Words that carry no meaning in a spoken or typed request (“我想买个血压计”).
STOPWORDS = frozenset(
    "我 我想 想 要 想要 我要 买 买个 购买 个 一个 一些 的 了 吗 呢 吧 啊 呀 给 给我 请 帮 帮我 找 找找 "
    "有 有没有 没有 哪里 哪儿 什么 推荐 一下 一款 能 可以 怎么 多少钱 和 与 及 或 用 用的 款 "
    "the a an for with and of to".split()
)


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, no control characters."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch if ch.isprintable() else " " for ch in text)


def split_terms(text: str) -> list[str]:
    terms = []
    for raw in TERM_SPLIT.split(normalise(text)):
        term = "".join(RUN.findall(raw))
        if term and term not in terms:
            terms.append(term)
    return terms


def runs(text: str) -> list[str]:
    """Runs of CJK characters and of Latin letters/digits, in order."""
    return RUN.findall(normalise(text))


def is_cjk(run: str) -> bool:
    return bool(CJK_RUN.match(run))


# --- Segmentation -----------------------------------------------------------------------

_tokenizer_lock = threading.Lock()
_tokenizer = {"instance": None, "words": frozenset()}


def tokenizer(extra_words=()):
    """A jieba tokenizer that also knows the synonym words (so 尿不湿 stays one word)."""
    import jieba

    words = frozenset(extra_words)
    with _tokenizer_lock:
        if _tokenizer["instance"] is None:
            jieba.setLogLevel(60)
            instance = jieba.Tokenizer()
            instance.initialize()
            _tokenizer["instance"] = instance
        instance = _tokenizer["instance"]
        for word in words - _tokenizer["words"]:
            if is_cjk(word) and len(word) > 1:
                instance.add_word(word, freq=200000)
        _tokenizer["words"] = _tokenizer["words"] | words
    return instance


def warm_up() -> None:
    """Load the segmenter's and pypinyin's dictionaries now (about 2 s) rather than in the
    first search a server process answers: the WSGI entry point calls this."""
    tokenizer()
    syllables("人参")


def words(run: str, *, for_search: bool = False) -> list[str]:
    """jieba words of one CJK run (search mode adds the shorter words inside long ones)."""
    from search.synonyms import synonym_words

    tk = tokenizer(synonym_words())
    cut = tk.cut_for_search(run, HMM=False) if for_search else tk.cut(run, HMM=False)
    return [w for w in cut if w.strip()]


def bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def singular(word: str) -> str:
    """A naive English singular, applied alike to documents and queries."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


# --- Pinyin -----------------------------------------------------------------------------

# Readings for this catalogue where pypinyin's default reading is not the one shoppers
# mean: 参 is shēn (ginseng: 林下参, 园参, 参片), not cān.
SINGLE_READINGS = {"参": "shēn,cān,cēn,sān"}
_readings_loaded = []


@lru_cache(maxsize=20000)
def syllables(run: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin, load_single_dict

    if not _readings_loaded:
        load_single_dict({ord(ch): readings for ch, readings in SINGLE_READINGS.items()})
        _readings_loaded.append(True)

    return tuple(lazy_pinyin(run, style=Style.NORMAL, v_to_u=False, errors="ignore"))


_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")


@lru_cache(maxsize=1)
def syllable_set() -> frozenset[str]:
    """Every pinyin syllable (without tones; ü as v), from pypinyin's own dictionary."""
    from pypinyin.pinyin_dict import pinyin_dict

    found = set()
    for readings in pinyin_dict.values():
        found.update(readings.translate(_TONES).split(","))
    return frozenset(s for s in found if s.isascii() and s.isalpha() and any(v in s for v in "aeiouv"))


def split_pinyin(text: str, *, limit: int = 3) -> list[tuple[str, ...]]:
    """Ways to read a Latin string as pinyin syllables, fewest syllables first."""
    valid = syllable_set()
    n = len(text)
    if n < 2 or not text.isalpha():
        return []
    ways: dict[int, list[tuple[str, ...]]] = {n: [()]}
    for start in range(n - 1, -1, -1):
        found = []
        for end in range(min(n, start + 6), start, -1):
            if text[start:end] in valid and end in ways:
                found.extend((text[start:end], *rest) for rest in ways[end])
        if found:
            ways[start] = sorted(found, key=len)[: limit * 2]
    return sorted(ways.get(0, []), key=len)[:limit]


def pinyin_tokens(run: str, run_words: list[str]) -> tuple[set[str], set[str]]:
    """(pinyin tokens, initials tokens) of one CJK run."""
    sy = syllables(run)
    pinyin = set(sy)
    pinyin.update(sy[i] + sy[i + 1] for i in range(len(sy) - 1))
    for word in run_words:
        if len(word) > 1:
            pinyin.add("".join(syllables(word)))
    initials = set()
    letters = [s[0] for s in sy if s]
    for size in range(2, 7):
        initials.update("".join(letters[i:i + size]) for i in range(len(letters) - size + 1))
    return pinyin, initials


# --- Documents --------------------------------------------------------------------------

@lru_cache(maxsize=50000)
def _run_tokens(run: str, unigrams: bool, pinyin: bool) -> tuple[frozenset, frozenset, frozenset]:
    if not is_cjk(run):
        return frozenset({run, singular(run)}), frozenset(), frozenset()
    run_words = words(run, for_search=True)
    out = set(run_words) | set(bigrams(run))
    if unigrams or len(run) == 1:
        out.update(run)
    py, ini = pinyin_tokens(run, run_words) if pinyin else (set(), set())
    return frozenset(out), frozenset(py), frozenset(ini)


def _text_tokens(text: str, *, unigrams: bool, pinyin: bool) -> tuple[set[str], set[str], set[str]]:
    out, py, ini = set(), set(), set()
    for run in runs(text):
        tokens, p, i = _run_tokens(run, unigrams, pinyin)
        out |= tokens
        py |= p
        ini |= i
    return out, py, ini


def document_tokens(*, title: str, title_en: str = "", codes=(), kinds=(), meta=(), description: str = "") -> dict:
    """Token sets by namespace for one product. ``kinds`` (its category names) say what the
    product is as plainly as its title does, so they count as title."""
    title_tokens, py, ini = _text_tokens(" ".join([title, *kinds]), unigrams=True, pinyin=True)
    en_tokens, _, _ = _text_tokens(f"{title_en} {' '.join(codes)}", unigrams=False, pinyin=False)
    meta_tokens, meta_py, meta_ini = set(), set(), set()
    for value in meta:
        tokens, p, i = _text_tokens(value, unigrams=True, pinyin=True)
        meta_tokens |= tokens
        meta_py |= p
        meta_ini |= i
    body_tokens, _, _ = _text_tokens(description, unigrams=False, pinyin=False)
    return {
        TITLE: title_tokens | en_tokens,
        META: meta_tokens,
        BODY: body_tokens,
        PINYIN: py | meta_py,
        INITIALS: ini | meta_ini,
    }


def joined(tokens_by_ns: dict, namespaces) -> str:
    parts = [f"{ns}:{token}" for ns in namespaces for token in sorted(tokens_by_ns.get(ns, ()))]
    return f" {' '.join(parts)} " if parts else " "
