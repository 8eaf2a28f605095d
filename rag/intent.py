"""What kind of answer a question wants: one fact, or several sentences (a summary, a comparison, a list,
why/how, what someone said, what happened), and what it is about.

Rules over the question's opening words. No maintained library here does this for English news questions
without a model download (spaCy's matchers would need its models; a zero-shot classifier needs weights from
a hub): the patterns below are the few shapes such questions take, and anything else stays a factoid,
which keeps today's short answers. Measured on eval/qa/synthesis (tuning half) and the factoid sets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from .sides import EITHER_OR, compared_sides


class Kind(Enum):
    FACTOID = "factoid"  # one fact: a name, a figure, a date
    SUMMARY = "summary"  # "Summarize the article", "Give me an overview of …"
    COMPARISON = "comparison"  # "Compare A and B", "A vs B", "How does A differ from B"
    LIST = "list"  # "Which companies …?", "What is in the agreement?", a question in two parts
    EXPLAIN = "explain"  # "Why …?", "How is X …?"
    SAID = "said"  # "What did X say (about Y)?"
    HAPPENED = "happened"  # "What happened with X?", "What has X announced?"

    @property
    def several_sentences(self) -> bool:
        return self is not Kind.FACTOID

    @property
    def tells_a_story(self) -> bool:
        """Answered in the order things happened; the others put the most relevant sentence first."""
        return self in (Kind.SUMMARY, Kind.HAPPENED, Kind.SAID)

    @property
    def asks_a_question(self) -> bool:
        """A list or a why/how still asks one question, which the factoid abstention rules judge (a
        turned-around "Why are memory cells not considered adaptive?" has no answer)."""
        return self in (Kind.LIST, Kind.EXPLAIN)


@dataclass(frozen=True)
class Intent:
    kind: Kind
    topic: str  # what to search for: the question without its instruction words ("" = the article itself)
    sides: tuple[str, ...] = ()  # what a comparison compares
    speaker: str = ""  # whose words a SAID question asks for
    history: bool = False  # asks for a story's past: "What is the history of …", "… career", "timeline"
    ahead: bool = False  # asks for what comes next: "What's next for …", "What will happen to …"

    @property
    def topical(self) -> bool:
        """Its sentences are judged by closeness to the question; "Summarize the article." has no topic to
        be close to (every sentence of the article is on it)."""
        return bool(self.topic) or self.kind is not Kind.SUMMARY

    @property
    def asks_cause(self) -> bool:
        """A why-question ("Why …", "What caused …"), not a how-question: a how-answer's lines need not
        add names or figures the question lacks (favouring them cost one how-question of 21 on the
        synthesis tuning halves, session 39)."""
        return self.kind is Kind.EXPLAIN and bool(_CAUSE_QUESTION.match(self.topic))

    @property
    def asked_for(self) -> str:
        """The things a list question asks for, in its own words: "What gear did the men have?" -> "gear",
        "Which states get money for rural broadband?" -> "states"; "" when it names none ("Who …")."""
        m = _ASKED_FOR.match(self.topic) if self.kind is Kind.LIST else None
        return next((t for t in m.groups() if t), "") if m else ""


FACTOID = Intent(Kind.FACTOID, "")
_I = re.IGNORECASE
_SUMMARY = re.compile(
    r"^(?:please\s+)?(?:summari[sz]e|sum\s+up|recap|break\s+down|give\s+(?:me\s+)?(?:a\s+|an\s+|the\s+|some\s+)?"
    r"(?:short\s+|brief\s+|quick\s+)?(?:summary|overview|recap|rundown|gist|breakdown|background)(?:\s+(?:of|on))?|"
    r"(?:what(?:'s|\s+is)\s+)?(?:a\s+|an\s+|the\s+)?(?:short\s+|brief\s+|quick\s+)?"
    r"(?:summary|overview|gist)\s+of|what(?:'s|\s+is)\s+the\s+story\s+(?:of|with|on|behind)|"
    r"(?:what\s+(?:are|were)|give(?:\s+me)?)\s+the\s+(?:main\s+|key\s+)?(?:points|facts|takeaways|highlights)"
    r"(?:\s+(?:of|in|from|about))?|"
    # A question asked as a heading: "Key points of the gun deal?", "Highlights from the Emmy nominations?"
    r"(?:the\s+)?(?:main\s+|key\s+)?(?:points|facts|takeaways|highlights)\s+(?:of|in|from|about)|"
    r"tl;?dr|brief\s+me\s+on|what\s+(?:does\s+the\s+article\s+say|the\s+article\s+says)(?:\s+about)?|"
    # "Tell me about the Sri Lanka crisis.", "What do we know about …", "Explain …"
    r"tell\s+me\s+(?:everything\s+|all\s+|more\s+)?about|explain|describe|outline|"
    r"walk\s+me\s+through|go\s+over|run\s+(?:me\s+)?through|"
    r"what\s+(?:do\s+we\s+know|is\s+known)(?:\s+so\s+far)?\s+about|what(?:'s|\s+is)\s+the\s+deal\s+with|"
    r"what\s+(?:do|should)\s+(?:i|we|you)\s+(?:need\s+to\s+)?know\s+about|what(?:'s|\s+is)\s+new\s+(?:with|on|about|in)|"
    r"give\s+me\s+the\s+latest\s+(?:on|about|with))\b[:,]?",
    _I,
)
_COMPARE = re.compile(
    r"^(?:please\s+)?(?:compare|contrast)\b|^which\b[^,:]*[,:][^,]+\s+or\s+[^,]+$|\bcompar(?:e|ed|ison)\b|"
    r"\bdiffer(?:ence|ences|s)?\b|\bdifferent\s+from\b|\bversus\b|\bvs\.?\s|\bstack(?:s|ed)?\s+up\s+(?:against|to|with)\b",
    _I,
)
# A comparison that names no two sides: what it compares are the reports themselves.
_COMPARE_ALL = re.compile(
    r"^(?:compare|contrast)\b|"
    r"^what(?:'s|\s+is|\s+are)\s+the\s+differences?\s+between\s+the\s+(?:two|three|\w+s\b)",
    _I,
)
_SAID = re.compile(
    r"^what\s+(?P<aux>did|does|do|has|have|had)\s+(?P<who>.+?)\s+(?:(?:tell|told)\b[^?]*|(?:say|said|warn(?:ed)?|"
    r"argue[sd]?|claim(?:s|ed)?|insist(?:s|ed)?|write|wrote)(?:\s+(?:about|on|of|regarding|after|when|while|during|at|in|before|following|"
    r"to)\b.*)?)\W*$",  # "… tell Kia owners?", "… say after testing positive?"; not "… say he felt …?"
    _I,
)
_SAYING = re.compile(
    r"^what(?:'s|\s+are|\s+is|\s+were|\s+was|\s+have|\s+has)\s+(?P<who>.+?)\s+(?:been\s+)?"
    r"(?:saying|warning|claiming|arguing)\b",
    _I,
)
# "How did Lopez describe her wedding?": her words about it
_DESCRIBED = re.compile(
    r"^how\s+(?P<aux>did|does|do|has|have)\s+(?P<who>.+?)\s+(?:describe[sd]?|characteri[sz]e[sd]?|explain(?:ed)?)\b",
    _I,
)
# "What's been said about the verdict?": anyone's words
_SAID_OF = re.compile(
    r"^(?:what(?:'s|\s+has|\s+is|\s+was)\s+(?:been\s+)?said|who\s+said\s+what)\s+(?:about|of|on|after)\b", _I
)
# A reaction is what someone said of it: "What was Adams's reaction to the buses?", "How did Hernandez react
# to losing?" ("What was the reaction to the verdict?" names no one: a list of reactions).
_REACTION = re.compile(
    r"^(?:what\s+(?:was|is|were|are|has\s+been)|how\s+(?:did|has|have|does|do|is|are|was|were))\s+(?P<who>.+?)"
    r"(?:['’]s?\s+(?:reaction|response)|\s+(?:react|respond)(?:ed|ing)?)\b",
    _I,
)
_CROWD = re.compile(
    r"(?:the\s+|some\s+|other\s+)?(?:people|experts|critics|analysts|officials|residents|fans|others|"
    r"observers|economists|lawmakers|voters|investors|scientists|doctors|they)",
    _I,
)
# What happened, asked for in words around the topic, which follows them: a timeline ("Give me a timeline
# of the student loan pause."), the story so far ("Catch me up on …", "What's the latest on …", "Where do
# things stand with …").
_STORY_LEADS = (
    r"(?:give\s+(?:me\s+)?|what(?:'s|\s+is)\s+|show\s+(?:me\s+)?)?(?:a\s+|the\s+)?(?:timeline|chronology|"
    r"history|backstory|background)\s+(?:of|for|on|to|behind)|"
    r"(?:catch\s+me\s+up|bring\s+me\s+up\s+to\s+speed|fill\s+me\s+in|update\s+me)\s+on|"
    r"what(?:'s|\s+is|\s+has)?\s+(?:happened|happening|been\s+happening|(?:been\s+)?going\s+on)\s+"
    r"(?:with|to|at|in|on|about|over)|what(?:'s|\s+is)\s+(?:the\s+)?(?:latest|news)\s+(?:on|with|about|from)|"
    r"(?:(?:is|are)\s+there\s+)?any\s+(?:news|updates?)\s+(?:on|about|with|from)|anything\s+new\s+(?:on|about|with|from|in)|"
    r"(?:did|has)\s+anything\s+(?:new\s+)?happen(?:ed)?\s+(?:with|to|at|in|on)|what(?:'s|\s+is)\s+up\s+with|"
    r"what(?:'s|\s+is)\s+the\s+(?:status|situation)\s+(?:of|with|in|at|on)|"
    r"where\s+(?:do|does)\s+(?:things|it|matters)\s+stand\s+(?:with|on)"
)
_STORY_OF = re.compile(rf"^(?:{_STORY_LEADS})\s+", _I)
# "What's next for the Broncos?", "What happens next in the Jerry Harris case?", "What will happen to the
# dinosaur tracks when it rains?": the story's next steps (a "what happened", told ahead: Intent.ahead)
_WHAT_NEXT = (
    r"what(?:'s|\s+is|\s+comes|\s+happens)\s+next\b|"
    r"what\s+(?:will|would|could|might|is\s+going\s+to)\s+happen\b"
)
_HAPPENED = re.compile(
    rf"^(?:{_STORY_LEADS}|what(?:'s|\s+is|\s+has)?\s+(?:happened|happening|been\s+happening|(?:been\s+)?going\s+on)|"
    r"what\s+(?:has|have)\s+.+?\s+(?:announced|done|reported)|"
    # "How has the Sri Lanka crisis unfolded?": how a story went is what happened
    r"how\s+(?:has|have|did)\s+.+?\s+(?:unfold(?:ed)?|develop(?:ed)?|evolved?|play(?:ed)?\s+out|go(?:ne)?|"
    r"turn(?:ed)?\s+out|end(?:ed)?\s+up)(?=\W*$)|"
    # "What went down at the NATO summit?", "Where do things stand with the student loan pause?"
    r"what\s+went\s+(?:down|on)\b|where\s+(?:do|does)\s+.+?\s+stand\b|"
    rf"{_WHAT_NEXT}|"
    # "What is the WHO doing about monkeypox?", "What is the administration planning for Covid tests?"
    r"what(?:'s|\s+is|\s+are|\s+was|\s+were)\s+.+?\s+(?:doing|planning|proposing|considering|rolling\s+out|launching|"
    r"introducing|unveiling|offering|changing|(?:hoping|trying|aiming|looking|seeking|working)\s+to)|"
    # "What is being done about the formula shortage?": what anyone is doing
    r"what(?:'s|\s+is|\s+was|\s+has)\s+(?:being|been)\s+done\s+(?:about|to|for|on)\b|"
    # "What is changing with White House tours?", "What changed at Twitter?"
    r"what(?:'s|\s+is|\s+has)?\s+(?:changing|changed|been\s+changing)\s+(?:with|at|in|for|about|since)|"
    # What a report or an event brought: "What did the June CPI report show?"
    r"what\s+(?:did|does|do|has|have)\s+.+?\s+(?:show|shown|showed|reveal|revealed|find|found|include|"
    r"included|contain|contained|unveil|unveiled|decide|decided|agree|agreed|approve|approved|announce|"
    r"announced|propose|proposed|plan|planned|report|reported|do))\b",
    _I,
)
_ASKS_CAUSE = (
    r"why\b|how\s+come\b|what\s+(?:caused|led\s+to|explains|drove|is\s+behind|prompted|triggered|sparked)\b|"
    r"what(?:'s|\s+is|\s+was)\s+the\s+(?:reason(?:s|ing)?|cause|motive|rationale)\s+(?:behind|for)\b|"
    r"what(?:'s|\s+is|\s+are)\s+(?:driving|causing|fueling|behind)\b|what\s+(?:are|were)\s+the\s+"
    r"(?:\w+\s+)?(?:reasons|causes)\b|"
    # "What led Boris Johnson to resign?", and as a heading: "Reasons for Boris Johnson's resignation?"
    r"what\s+(?:led|drove|prompted|pushed|forced|caused)\s+.+?\s+to\b|(?:the\s+)?(?:reasons?|causes?)\s+(?:for|behind)\b|"
    # "What reasons did Saudi officials give for the seizures?"
    r"what\s+(?:reasons?|explanations?|justifications?)\s+(?:did|does|do|has|have|had)\b"
)
_CAUSE_QUESTION = re.compile(rf"^(?:{_ASKS_CAUSE})", _I)
# "What (other) <up to three words> did|is|…", or "Which <word> <verb>": the words before the verb.
_ASKED_FOR = re.compile(
    r"^(?:what|which)\s+(?:other\s+|kinds?\s+of\s+|types?\s+of\s+)?(?P<things>(?:[\w-]+\s+){0,2}?[\w-]+)\s+"
    r"(?:did|does|do|is|are|was|were|has|have|had|could|can|will|would|should|might|may)\b|"
    r"^which\s+(?P<which>[\w-]+)\s+\w+|"
    # "What are the symptoms of monkeypox?", "Who are the key figures in the hearings?"
    r"^(?:what|who)\s+(?:are|were)\s+(?:the|some(?:\s+of\s+the)?)\s+(?P<are>(?:[\w'-]+\s+){0,2}?[\w'-]+?)"
    r"(?:\s+(?:of|in|on|for|from|against|to|behind|about|with|at)\b|\W*$)|"
    # "What companies announced layoffs?": plural things that did something
    r"^(?:what|which)\s+(?P<did>\w+s)\s+\w+ed\b",
    _I,
)
# How-questions that ask for a measure, answered by a figure.
_MEASURES = (
    r"(?:much|many|long|far|big|large|small|old|young|often|soon|tall|high|low|deep|wide|heavy|fast|early|"
    r"late|close|hot|cold|warm|cheap|expensive|frequent|recent)"
)
_EXPLAIN = re.compile(
    rf"^(?:{_ASKS_CAUSE}|how\s+(?:is|are|was|were|does|do|did|has|have|can|could|should|will|would)\s|"
    # Advice: "What should Kia owners do about the recall?"; "What went wrong for Thor?": the causes
    r"what\s+should\s+.+?\s+do\b|what\s+went\s+wrong\b|"
    # "Explain how the payment works": how something works, asked without an auxiliary
    r"how\s+(?!(?:is|are|was|were|does|do|did)\b).+?\s+works?\W*$|"
    r"what\s+(?:are|were)\s+the\s+(?:effects|consequences)\b|"
    # "What's the significance of the NASA launch?", "What does the ruling mean for abortion access?": why it
    # matters; "What's the outlook for gas prices?": what is expected, and why
    r"what(?:'s|\s+is|\s+was)\s+the\s+(?:significance|importance)\s+of\b|"
    r"what\s+(?:does|do|did|will|would|could|might)\s+.+?\s+mean\s+for\b|"
    r"what(?:'s|\s+is)\s+the\s+(?:outlook|forecast|prognosis)\s+for\b|"
    # "What was Petro's role in the M19 movement?", "What role did Manchin play in the deal?": what someone
    # did there, and how
    r"what(?:'s|\s+is|\s+was|\s+are|\s+were)\s+.+?['’]s?\s+(?:role|part)\s+in\b|"
    r"what\s+(?:role|part)\s+(?:did|does|do|has|have|had|will|would|is|was)\s+.+?\s+play(?:ed|ing)?\b|"
    # "What's the problem with the Hyundai and Kia SUVs?": what went wrong, and why
    r"what(?:'s|\s+is|\s+was|\s+are|\s+were)\s+the\s+(?:problems?|issues?|trouble)\s+with\b|"
    # "How dangerous is monkeypox?": a judgement wants its reasons; a measure ("How high did rents get?",
    # "How low is the yen?") wants its figure, a factoid
    rf"how\s+(?!{_MEASURES}\b)[a-z]+\s+(?:is|are|was|were)\s)",
    _I,
)
# Nouns with no plural that name several things: "What gear …", "What information …".
_MASS = r"(?:gear|equipment|information|evidence|aid|help|support|advice|data|security|training|research)"
# "Which companies are named …", "What measures were left out", "List the …", "What is in the deal?",
# "What scandals has X faced?", "Who is in the ownership group?"
_LIST = re.compile(
    r"^(?:list|name)\s+(?:the|all|every)\b|^(?:which|what)\s+(?!two|three|four|\d)(?:\w+\s+)?\w+s\s+"
    r"(?:(?:still|now|also|already|currently)\s+)?(?:are|were|have|had|has(?!\s+been)|will|would|can|could|should|might|may|remain|exist)\b|"
    # "Which SBU officials did Zelensky remove?": the plural things someone did something to; "Which states
    # get money for rural broadband?": a plural subject and a verb in the present
    r"^which\s+(?!two|three|four|\d)(?:\w+\s+)?\w+s\s+(?:did|do|does|get|receive|face|need|want|offer|"
    r"support|oppose|use|make|qualify|benefit|plan|stand|remain|say)\b|"
    # "What polls show abortion rights are popular?": plural sources and what they show
    r"^(?:which|what)\s+(?!(?:do|does|did|is|are|was|were|has|have|had)\b)(?:\w+\s+)?\w+s\s+"
    r"(?:show|suggest|say|find|indicate)\b|"
    # "Which shows earned the most nominations?": a plural subject doing something in the past
    r"^(?:which|what)\s+(?!two|three|four|\d|(?:are|were|is|was|do|does|did|has|have|had)\b)(?:\w+\s+)?"
    r"(?!(?:was|is|has|does|this)\b)\w+s\s+(?:\w+ed|won|lost|took|"
    r"made|got|became|held|led|ran|saw|left|broke|fell|rose|went|came|gave|sold|bought|hit|set|struck)\b|"
    # "What damage did the earthquake cause?", "What was the reaction to the verdict?": several things
    r"^what(?:'s\s+the\s+|\s+(?:(?:was|were|is|are)\s+the\s+)?)(?:damage|impact|effects?|reactions?|response|"
    r"consequences)\b|"
    # "What records did Mack Rutherford break?", "What steps is Japan taking?": plural things someone did;
    # "What gear did the men have?": a mass noun is several things too
    r"^what\s+(?!two|three|four|\d)(?!(?:is|was|does|has)\b)(?:\w+\s+)?(?:\w+s|" + _MASS + r")\s+"
    r"(?:did|do|does|has|have|had|will|is|was|were)\b|"
    # "What is in the deal?", "What's on Subway's new menu?": what something holds
    r"^(?:what|who)(?:'s|\s+is|\s+was|\s+are|\s+were)\s+(?:in|on)\s+(?:the\b|\w+['’]s\b)|"
    # "Who is pushing for Griner's release?": the people doing something now
    r"^who(?:'s|\s+is|\s+are)\s+(?!going\b)\w+ing\b|"
    # "What does the new law require?": what a rule or a deal asks for is several things
    r"^what\s+(?:does|do|did|will|would)\s+.+?\s+(?:require|cover|allow|ban|include|involve|entail|feature)\W*$|"
    # "What is included in the gun deal?"
    r"^what(?:'s|\s+is|\s+was|\s+are|\s+were)\s+(?:included|involved)\s+in\b|"
    # "Who did Olena Zelenska meet in Washington?": the people someone met
    r"^who(?:m)?\s+(?:did|does|has|have|had|will|is|was)\s+.+?\s+(?:meet|met|meeting|visit|visited|"
    r"(?:speak|spoke|spoken|speaking|talk|talked|talking)\s+(?:with|to))\b|"
    # "What are the benefits of the stock split?", "What are the Artemis I launch dates?"
    r"^what\s+(?:are|were)\s+(?:the|some(?:\s+of\s+the)?)\s+(?:[\w'-]+\s+){0,3}\w+s"
    r"(?:\s+(?:of|from|for|in|behind|against|to|on|at|about|with)\b|\W*$)|"
    # "Who attended the NATO summit?", "Who voted against the bill?": the people who took part
    r"^who\s+(?:attended|testified|took\s+part\s+in|participated\s+in|voted\s+(?:for|against))\b|"
    # "Who qualifies for student loan forgiveness?": the conditions, several of them
    r"^who\s+(?:qualif(?:y|ies|ied)|(?:is|are|was|were|will\s+be)\s+eligible)\b|"
    # "How many swings and rockers were recalled?", "How many doses have been delivered, shipped and
    # ordered?": counts of two or more things ("Historical and Critical Dictionary" is one title)
    r"^how\s+(?:many|much)\s+[^?]*?\b(?:and|or)\s+(?-i:(?![A-Z]))|"
    # "Who are the candidates in the runoff?", "Who are the people in the ownership group?"
    r"^who\s+(?:are|were)\s+the\s+(?:[\w'-]+\s+){0,2}(?:\w+s|people|men|women|children)\b|"
    # "Who else has visited Ukraine besides Jill Biden?": more of the same
    r"^(?:who|what)\s+else\b|\b(?:besides|other\s+than|aside\s+from|apart\s+from)\s+\w|"
    # "What was Nichelle Nichols known for?": what someone is known for is several things
    r"^what\s+(?:is|was|are|were)\s+.+?\s+(?:best\s+)?(?:known|famous|remembered)\s+for\W*$|"
    # "What kind of symptoms does Biden have?" (not "What kind of T cells have the purpose of …?": one kind)
    r"^what\s+(?:kinds?|types?|sorts?)\s+of\s+(?:\w+\s+)?\w+s\s+(?:did|do|does|will)\b|"
    # "What can the James Webb telescope do?": what something can do is several things
    r"^what\s+(?:can|could|will|would|might|may)\s+.+?\s+do\W*$|"
    # "What has India achieved in space?": achievements are several things
    r"^what\s+(?:has|have|had|did|does|do)\s+.+?\s+(?:achieved?|accomplish(?:ed)?)\b|"
    # "What stood out about the Avalanche's season?": the things that did
    r"^what\s+(?:stood|stands)\s+out\b|"
    # "Who was affected by the recall?": the people a story touched
    r"^who\s+(?:is|was|are|were|has\s+been|have\s+been)\s+(?:affected|hit|hurt|impacted|involved)\b",
    _I,
)
# A question in two parts: "When is X set to launch and what are the backup dates?"
_TWO_PARTS = re.compile(
    r",?\s+and\s+(?:what|which|who|when|where|how|why)\b|\?\s*(?:and\s+)?(?:what|which|who|when|how)\b", _I
)
_FILLER = re.compile(
    r"^(?:the\s+)?(?:news|article|articles|story|stories|reports?|coverage)(?:\s+(?:about|on|of))?\s*$", _I
)


# A request around the question: "Can you summarize …", "Could you give me an overview of …", "I'd like a
# summary of …", "Tell me what …", "Briefly, what is …".
_REQUEST = re.compile(
    r"^(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?|please\s+|"
    r"i(?:'d|\s+would)\s+like\s+(?:to\s+know\s+)?|i\s+want\s+to\s+know\s+|"
    r"(?:briefly|quickly|in\s+short|in\s+brief|in\s+a\s+nutshell|so)\s*,\s*|"
    # "So what happened at the NATO summit?", "OK, and why …": a word that only opens the sentence
    r"(?:so|and|ok(?:ay)?|well|hey|also)\s*,?\s+(?=(?:what|why|how|who|which|when|where)\b)|"
    # "Can you explain why …", "Explain to me what happened with …", "Remind me what happened with …", "Do
    # you know who …", "Quick question: why …": the question that follows
    r"(?:tell\s+me|explain(?:\s+to\s+me)?|remind\s+me|do\s+you\s+know|any\s+idea|i\s+wonder|"
    r"help\s+me\s+understand|(?:quick\s+)?question\s*:)\s+(?=(?:what|why|how|who|which|when|where)\b))",
    _I,
)
# "What is the Twitter deal about?": what a story is about is its summary.
_ABOUT_WHAT = re.compile(r"^what(?:'s|\s+is|\s+was)\s+(?P<topic>.+?)\s+(?:all\s+)?about\W*$", _I)


# A history, a timeline, a career: the story's past, not today's news.
_HISTORY = re.compile(r"\b(?:history|backstory|timeline|chronology|origins?|career)\b", _I)


# What comes next: the story's expected steps, not what already happened.
_AHEAD = re.compile(rf"\b(?:{_WHAT_NEXT}|next\s+steps?\b)", _I)


def read_intent(question: str) -> Intent:
    """The kind of answer `question` wants and what it is about."""
    intent = _intent_of(question)
    if intent.kind.several_sentences and _HISTORY.search(question):
        return replace(intent, history=True)
    if intent.kind.several_sentences and _AHEAD.search(question):
        return replace(intent, ahead=True)
    return intent


def _intent_of(question: str) -> Intent:
    q = question.strip()
    for _ in range(2):  # "Can you explain why …": a request around a request
        q = _REQUEST.sub("", q, count=1)
    q = q[:1].upper() + q[1:]
    if m := _ABOUT_WHAT.match(q):
        return Intent(Kind.SUMMARY, _topic(m.group("topic")))
    if m := _SUMMARY.match(q):
        return Intent(Kind.SUMMARY, _topic(q[m.end() :]))
    if _COMPARE.search(q) or EITHER_OR.match(q):
        sides = compared_sides(q)
        if len(sides) >= 2:
            return Intent(Kind.COMPARISON, q, sides)
        if _COMPARE_ALL.match(q):  # "Compare Norrick Bank's rate decisions": each in turn, with its date
            return Intent(Kind.HAPPENED, q)
    # "What are people saying about the verdict?", "What do experts say about BA.5?": any speaker but a
    # crowd's own. "What do Republicans say about …" is left a factoid: few sentences quote a party, and
    # its answer is more often a poll's figure.
    if _SAID_OF.match(q):
        return Intent(Kind.SAID, q)
    if m := _SAYING.match(q) or _SAID.match(q) or _DESCRIBED.match(q) or _reaction(q):
        who = m.group("who").strip()
        crowd = bool(_CROWD.fullmatch(who))
        if crowd or (m.groupdict().get("aux") or "").casefold() != "do":
            return Intent(Kind.SAID, q, speaker="" if crowd else who)
    if (m := _STORY_OF.match(q)) and _topic(q[m.end() :]):
        return Intent(Kind.HAPPENED, _topic(q[m.end() :]))
    if _HAPPENED.match(q):
        return Intent(Kind.HAPPENED, q)
    if _EXPLAIN.match(q):
        return Intent(Kind.EXPLAIN, q)
    if _LIST.match(q) or _TWO_PARTS.search(q.rstrip("?")):
        return Intent(Kind.LIST, q)
    return Intent(Kind.FACTOID, q)


def _reaction(q: str) -> re.Match[str] | None:
    """A reaction asked of someone named or of a crowd: "How did the market react to the rate hike?" asks
    what the market did, not what anyone said. One going on is said only by a crowd: "How are people
    reacting to …?" asks what they say, "How is Belgium responding to the heat?" what it does."""
    m = _REACTION.match(q)
    if not m:
        return None
    crowd = bool(_CROWD.fullmatch(m.group("who")))
    if m.group(0).endswith("ing") and not crowd:
        return None
    return m if crowd or re.search(r"\b[A-Z]", m.group("who")) else None


_ABOUT = re.compile(
    r"^(?:what\s+)?(?:the\s+)?(?:article|story|news|coverage)\s+(?:says\s+)?(?:about|on|of)\s+", _I
)


def _topic(rest: str) -> str:
    rest = rest.strip(" .?!:,")
    rest = _ABOUT.sub("", rest)
    rest = re.sub(r"^what\s+(?:has\s+)?happened\s+(?:with|to|at|in)\s+", "", rest, flags=_I)
    if not rest or _FILLER.match(rest):
        return ""
    bare = re.sub(r"\s+(?:news|coverage)$", "", rest, flags=_I)  # "the bridge news": the bridge
    return bare if re.search(r"\w", re.sub(r"^(?:the|this|that|these|a|an)\b", "", bare, flags=_I)) else rest
