"""Lines from another story: everyday questions in common words ("Tell me about the strike.") on corpora of
many stories, and how many lines of their several-sentence answers cite an article of another story.

    python -m eval.off_story                # both sets, each split into its tuning and test half
    python -m eval.off_story dated          # one of them

Written in session 29, each set before the change it measured (the dated set before REPORT_MARGIN, the
realtimeqa-dev set after it, as a held-out check), split by alternate lines before any run. A line counts
as off the story when none of the articles it cites has an id containing one of the question's marks.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from rag import Settings, answer

from .datasets import corpus_settings

DATED = Path("eval/qa/dated/corpus")
REALTIMEQA = Path("../shared/datasets/realtimeqa-dev/corpus.jsonl")

# (question, marks of the story's article ids, today)
SETS: dict[str, tuple[Path, list[tuple[str, tuple[str, ...], str]]]] = {
    "dated": (DATED, [(q, marks, "2026-04-01") for q, marks in [
        ("Tell me about the strike.", ("kestrel-strike",)),
        ("Summarize the airline news.", ("kestrel",)),
        ("Why were flights grounded?", ("kestrel-strike",)),
        ("What happened to the lake this summer?", ("lake-sarn",)),
        ("What's going on with the water shortage?", ("lake-sarn",)),
        ("Why is the bridge more expensive?", ("harrowgate",)),
        ("What's new with the robot maker?", ("orvane",)),
        ("Summarize the election.", ("brindle-mayor",)),
        ("What did the central bank do?", ("norrick",)),
        ("Tell me about the hosepipe ban.", ("lake-sarn",)),
        ("What happened with the job cuts?", ("orvane-job-cuts",)),
        ("Give me an overview of the tram.", ("velmora-tram",)),
        ("Why did the airline order planes?", ("kestrel-aircraft",)),
        ("What's the story with the census?", ("brindle-census", "brindle-population")),
        ("Explain the interest rate changes.", ("norrick",)),
        ("What's been happening with the new factory?", ("orvane-tessaly",)),
        ("How did the pilots' dispute go?", ("kestrel-strike",)),
        ("Summarize the news about the new boss.", ("orvane-new-ceo",)),
        ("What's the latest on passenger numbers?", ("kestrel-q1",)),
        ("Tell me about the drought.", ("lake-sarn",)),
    ]]),
    "realtimeqa": (REALTIMEQA, [
        ("Tell me about the volcano.", ("sakurajima",), "2022-07-28"),
        ("What's going on with the drought out west?", ("colorado-river", "fireworks"), "2022-08-20"),
        ("Why are people upset about the menu changes?", ("subway", "kfc"), "2022-07-20"),
        ("What happened with the golf league?", ("liv-golf",), "2022-06-15"),
        ("Summarize the news about the recall.", ("recall",), "2022-08-25"),
        ("What's the latest on the war?", ("russia-ukraine",), "2022-08-20"),
        ("Tell me about the football team sale.", ("broncos",), "2022-08-12"),
        ("What happened at the awards show?", ("tony", "emmy"), "2022-06-15"),
        ("Why did the prime minister quit?", ("boris-johnson",), "2022-07-10"),
        ("What's the deal with the baby swings?", ("4moms",), "2022-08-20"),
        ("What happened with the flooding?", ("virginia-floods",), "2022-07-16"),
        ("Give me an overview of the space telescope pictures.", ("james-webb",), "2022-07-15"),
        ("What's new with rents?", ("rents",), "2022-08-26"),
        ("Tell me about the earthquake.", ("earthquake",), "2022-07-28"),
        ("What happened to the star actress?", ("nichelle",), "2022-08-02"),
        ("Why is everyone talking about the python?", ("python",), "2022-06-28"),
        ("Summarize the election results.", ("kansas", "cheney", "petro"), "2022-08-20"),
        ("What's the story with the dinosaur tracks?", ("dinosaur",), "2022-08-25"),
        ("How is the heat wave affecting Europe?", ("heatwave",), "2022-07-20"),
        ("What did the president do about counterterrorism?", ("counter-terrorism",), "2022-08-03"),
    ]),
}  # fmt: skip


def off_story_lines(question: str, marks: tuple[str, ...], today: str, settings: Settings) -> tuple[int, int]:
    """(lines citing no article of the story, lines); (-1, 0) when the answer abstains."""
    a = answer(question, settings=settings, today=today)
    if a.abstained:
        return -1, 0
    article = {c.n: c.article_id for c in a.citations}
    lines = [line for line in a.text.splitlines() if line.strip()]
    off = 0
    for line in lines:
        cited = [article.get(int(n), "") for n in re.findall(r"\[(\d+)\]", line)]
        off += bool(cited) and not any(m in a_id for a_id in cited for m in marks)
    return off, len(lines)


def main(names: list[str]) -> None:
    for name in names or list(SETS):
        corpus, questions = SETS[name]
        settings = corpus_settings(corpus, Settings.from_env())
        for half, items in (("tune", questions[0::2]), ("test", questions[1::2])):
            results = [off_story_lines(q, marks, today, settings) for q, marks, today in items]
            answered = [(off, n) for off, n in results if off >= 0]
            clean = sum(off == 0 for off, _ in answered)
            off, total = sum(o for o, _ in answered), sum(n for _, n in answered)
            print(
                f"{name} {half}: {clean}/{len(items)} answers with no line from another story, "
                f"{off}/{total} lines off the story, {len(items) - len(answered)} abstained"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
