"""The kind of answer a question wants (rag/intent.py): fast, no model."""

from __future__ import annotations

import pytest

from rag.intent import Kind, compared_sides, read_intent


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Summarize the article.", Kind.SUMMARY),
        ("Give me a short summary of the Harrowgate Bridge news", Kind.SUMMARY),
        ("Compare what Microsoft and TSMC are investing in Japan.", Kind.COMPARISON),
        ("What is the difference between the tram and the bridge?", Kind.COMPARISON),
        ("What did Khos-Erdene Baatarkhuu say about Japan?", Kind.SAID),
        ("What did the minister warn about?", Kind.SAID),
        ("What happened with Orvane Robotics?", Kind.HAPPENED),
        ("What has Kestrel Air announced?", Kind.HAPPENED),
        ("What did Putin announce this week about calling up troops?", Kind.HAPPENED),
        ("What is the Biden administration planning for Covid vaccines?", Kind.HAPPENED),
        ("What did the New York Fed report about household debt?", Kind.HAPPENED),
        ("What polls show abortion rights are popular?", Kind.LIST),
        # Asked as a heading, or in other words
        ("Key points of the gun safety deal?", Kind.SUMMARY),
        ("Highlights from the Emmy nominations?", Kind.SUMMARY),
        ("Reasons for Boris Johnson's resignation?", Kind.EXPLAIN),
        ("What led Boris Johnson to resign?", Kind.EXPLAIN),
        ("What do we know so far about the Mar-a-Lago search?", Kind.SUMMARY),
        ("What's in the gun safety bill?", Kind.LIST),
        ("What's on Subway's new menu?", Kind.LIST),
        ("Who is pushing for Brittney Griner's release?", Kind.LIST),
        ("Who is going to win the runoff?", Kind.FACTOID),
        ("What has North Korea claimed about its Covid outbreak?", Kind.SAID),
        ("Where does Brittney Griner's case stand?", Kind.HAPPENED),
        ("What is NASA hoping to learn from the Australian launches?", Kind.HAPPENED),
        ("Who else has visited Ukraine recently besides Jill Biden?", Kind.LIST),
        ("What was Nichelle Nichols known for?", Kind.LIST),
        ("What tradition were the Saint-Evroul monks known for?", Kind.FACTOID),  # one, named by its kind
        # A conversational opening before the question, and a story's history
        ("Remind me what happened with Bill Cosby's civil trial.", Kind.HAPPENED),
        ("Do you know why gas prices fell?", Kind.EXPLAIN),
        ("Quick question: what did the jury decide in the Cosby case?", Kind.HAPPENED),
        ("What is the history of Velveeta?", Kind.HAPPENED),
        ("What's the backstory of the Bennifer romance?", Kind.HAPPENED),
        ("How are people reacting to Nichelle Nichols's death?", Kind.SAID),
        ("How is Belgium responding to the heat?", Kind.EXPLAIN),  # what it does, not what it says
        ("What's Subway changing?", Kind.HAPPENED),
        ("Who's backing Brittney Griner?", Kind.LIST),
        ("Can you give me some background on Brittney Griner's detention?", Kind.SUMMARY),
        ("What stood out about the Avalanche's season?", Kind.LIST),
        ("What's the significance of the NASA launch in Australia?", Kind.EXPLAIN),
        ("What kind of symptoms does Biden have?", Kind.LIST),
        ("What kind of T cells have the purpose of modulating the immune response?", Kind.FACTOID),
        ("Which states still have gas above $4?", Kind.LIST),
        ("So what happened at the NATO summit?", Kind.HAPPENED),
        ("What went wrong for Thor at the box office?", Kind.EXPLAIN),
        # A judgement wants its reasons, a measure its figure; what something can do is several things
        ("How dangerous is monkeypox for the public?", Kind.EXPLAIN),
        ("How serious was the Virginia flood?", Kind.EXPLAIN),
        ("How low is the yen's value, according to Hideaki Yokota?", Kind.FACTOID),
        ("How high did rents get in July?", Kind.FACTOID),
        ("How old is the Webb telescope's mirror design?", Kind.FACTOID),
        ("What can the James Webb telescope do?", Kind.LIST),
        # Everyday phrasings of what was said, what it means, what is being done, what comes next
        ("What's been said about the verdict?", Kind.SAID),
        ("What does the ruling mean for abortion access?", Kind.EXPLAIN),
        ("What will the student loan plan mean for borrowers?", Kind.EXPLAIN),
        ("What is being done about the baby formula shortage?", Kind.HAPPENED),
        ("What's the outlook for gas prices?", Kind.EXPLAIN),
        ("What does Ted Lasso mean?", Kind.FACTOID),
        ("What's the problem with the Hyundai and Kia SUVs?", Kind.EXPLAIN),
        ("Explain to me why gas prices dropped.", Kind.EXPLAIN),
        ("Did anything happen with student loans?", Kind.HAPPENED),
        ("What's the impact of the heatwave in Europe?", Kind.LIST),
        ("What are officials warning about BA.5?", Kind.SAID),
        ("Anything new about the Webb telescope?", Kind.HAPPENED),
        ("Tell me more about Ayman al-Zawahiri.", Kind.SUMMARY),
        ("What challenges remain for the Artemis program?", Kind.LIST),
        ("How did the market react to the rate hike?", Kind.EXPLAIN),  # what it did, not what it said
        ("Which surveys suggest voters have changed their minds?", Kind.LIST),
        ("Who qualifies for Biden's student loan forgiveness?", Kind.LIST),
        ("Who is eligible for the broadband credit?", Kind.LIST),
        ("Tell me about the Sri Lanka crisis.", Kind.SUMMARY),
        ("What do we know about the Mar-a-Lago search?", Kind.SUMMARY),
        ("Explain the Colorado River cuts.", Kind.SUMMARY),
        ("What records did Mack Rutherford break?", Kind.LIST),
        ("What gear did the men arrested in Idaho have?", Kind.LIST),  # a mass noun: several things
        ("What personal information was in the leaked database?", Kind.LIST),
        ("What damage did the Philippines earthquake cause?", Kind.LIST),
        ("What was the reaction to the verdict?", Kind.LIST),
        ("What steps is Japan taking?", Kind.LIST),
        ("Which shows won awards at the 2022 Tony Awards?", Kind.LIST),
        ("What are the main reasons BA.5 is spreading?", Kind.EXPLAIN),
        # One thing asked: a singular subject, or a name ending in s, stays a factoid.
        ("How many swings and rockers were recalled?", Kind.LIST),
        ("Which states get money for rural broadband?", Kind.LIST),
        ("Can you explain why Boris Johnson resigned?", Kind.EXPLAIN),
        ("Explain what happened with Deshaun Watson.", Kind.HAPPENED),
        ("Describe the James Webb telescope images.", Kind.SUMMARY),
        ("Walk me through the Broncos sale.", Kind.SUMMARY),
        ("In a nutshell, what is the Colorado River deal about?", Kind.SUMMARY),
        ("How has the Sri Lanka crisis unfolded?", Kind.HAPPENED),
        ("Give me a timeline of the student loan pause.", Kind.HAPPENED),
        ("What went down at the NATO summit?", Kind.HAPPENED),
        ("What's next after NASA's first launch from Australia?", Kind.HAPPENED),
        ("What happens next in the Jerry Harris case?", Kind.HAPPENED),
        ("What does the Mother Heroine award involve?", Kind.LIST),
        ("What will happen to the dinosaur tracks when it rains?", Kind.HAPPENED),
        ("How did Jennifer Lopez describe her Las Vegas wedding?", Kind.SAID),
        ("What reasons did Saudi officials give for the seizures?", Kind.EXPLAIN),
        ("Is there any update on Jill Biden's Covid?", Kind.HAPPENED),
        ("What's Netflix saying about Squid Game?", Kind.SAID),
        ("Who said what about the Broncos sale?", Kind.SAID),
        ("Explain how the Mother Heroine payment works", Kind.EXPLAIN),
        ("What is included in the gun deal?", Kind.LIST),
        ("What has India achieved in space?", Kind.LIST),
        ("What did the mission accomplish?", Kind.LIST),
        ("What was Petro's role in the M19 guerrilla movement?", Kind.EXPLAIN),
        ("What role did Manchin play in the deal?", Kind.EXPLAIN),
        ("Where do things stand with the student loan pause?", Kind.HAPPENED),
        ("How come gas prices are dropping?", Kind.EXPLAIN),
        ("How does the Thor opening stack up against Doctor Strange?", Kind.COMPARISON),
        ("What do experts say about BA.5?", Kind.SAID),
        # A party or a public "says" through polls more often than in quotes: the factoid path finds those.
        ("What do Republicans say about the January 6 hearings?", Kind.FACTOID),
        ("How many doses have been delivered, shipped and ordered?", Kind.LIST),
        ("How many months did Bayle take to write the Historical and Critical Dictionary?", Kind.FACTOID),
        ("Which product remains difficult to find in many US stores?", Kind.FACTOID),
        ("Which Swiss management school ranks digital competitiveness?", Kind.FACTOID),
        ("Why did the cost of the bridge go up?", Kind.EXPLAIN),
        ("What is Japan doing to rebuild its semiconductor industry?", Kind.HAPPENED),
        ("Which companies are named as partners?", Kind.LIST),
        ("When is the launch and what are the backup dates?", Kind.LIST),
        ("What scandals has the government faced?", Kind.LIST),
        ("Who is in the new ownership group?", Kind.LIST),
        ("What did the Department of Transportation tell Kia owners?", Kind.SAID),
        ("What did Biden say after testing positive?", Kind.SAID),
        ("What did the June consumer price index report show?", Kind.HAPPENED),
        ("What did the telescope's first images reveal?", Kind.HAPPENED),
        ("What did NATO decide at the Madrid summit?", Kind.HAPPENED),
        ("What are the benefits of Alphabet's stock split?", Kind.LIST),
        ("What are the Artemis I launch dates?", Kind.LIST),
        ("Which shows earned the most Emmy nominations?", Kind.LIST),
        # What is new, advice, and plural things with a modal or "did": phrasings no eval set holds.
        ("What is Apple launching this fall?", Kind.HAPPENED),
        ("What is changing at Twitter?", Kind.HAPPENED),
        ("What should travelers do during the rail strike?", Kind.EXPLAIN),
        ("Which banks did regulators close?", Kind.LIST),
        ("Which states will vote on abortion in November?", Kind.LIST),
        ("Which company will buy Activision?", Kind.FACTOID),
        ("What should the minimum wage be?", Kind.FACTOID),
        ("What companies announced layoffs this month?", Kind.LIST),
        ("What does the new law require?", Kind.LIST),
        ("What did the Fed do with interest rates?", Kind.HAPPENED),
        ("What are people saying about the verdict?", Kind.SAID),
        ("What are injectors used to supply?", Kind.FACTOID),
        ("Who voted against the infrastructure bill?", Kind.LIST),
        ("Who signed the bill into law?", Kind.FACTOID),
        ("Who did Olena Zelenska meet in Washington?", Kind.LIST),
        ("How should borrowers prepare for payments to resume?", Kind.EXPLAIN),
        # A request around the question is no part of it.
        ("Can you summarize the Cosby verdict?", Kind.SUMMARY),
        ("Could you give me an overview of the Sri Lanka crisis?", Kind.SUMMARY),
        ("I'd like an overview of the Kansas vote.", Kind.SUMMARY),
        ("Tell me what the article says about TSMC.", Kind.SUMMARY),
        ("Briefly, what is the Twitter deal about?", Kind.SUMMARY),
        ("What's the gist of the report?", Kind.SUMMARY),
        ("What are the highlights of the jobs report?", Kind.SUMMARY),
        ("Break down the Fed's decision for me.", Kind.SUMMARY),
        ("What's driving gas prices down?", Kind.EXPLAIN),
        ("Any updates on the Artemis launch?", Kind.HAPPENED),
        # Session 29's phrasing batch (its tuning half): the main points, the story so far, the people.
        ("Give me the main points of the gun safety deal.", Kind.SUMMARY),
        ("What were the key takeaways from the summit?", Kind.SUMMARY),
        ("Catch me up on the student loan pause.", Kind.HAPPENED),
        ("Bring me up to speed on monkeypox.", Kind.HAPPENED),
        ("Who are the people in the Broncos ownership group?", Kind.LIST),
        ("Who was affected by the Hyundai recall?", Kind.LIST),
        ("Who was the first woman to lead the agency?", Kind.FACTOID),
        ("What's the deal with the Broncos sale?", Kind.SUMMARY),
        ("What do we need to know about the student loan plan?", Kind.SUMMARY),
        ("How did the Wyoming primary go?", Kind.HAPPENED),
        ("What's the reasoning behind the rate hike?", Kind.EXPLAIN),
        ("What prompted Adele to postpone her shows?", Kind.EXPLAIN),
        ("Is Thor bigger than Doctor Strange at the box office?", Kind.COMPARISON),
        ("Is the bridge open yet?", Kind.FACTOID),
        ("Is inflation higher than last year?", Kind.FACTOID),
        ("Tell me everything about the Colorado River deal.", Kind.SUMMARY),
        ("What's up with the Artemis launch?", Kind.HAPPENED),
        ("What's the situation with the baby formula shortage?", Kind.HAPPENED),
        ("What's been going on at Twitter?", Kind.HAPPENED),
        ("What's changed since the Roe v. Wade decision?", Kind.HAPPENED),
        ("What's up?", Kind.FACTOID),
        ("What's the status of the bridge project?", Kind.HAPPENED),
        ("Who are the candidates in the runoff?", Kind.LIST),
        ("What were the charges against him?", Kind.LIST),
        ("What are some of the changes to the menu?", Kind.LIST),
        # A comparison naming no two sides compares the reports themselves, each with its date.
        ("Compare Norrick Bank's rate decisions.", Kind.HAPPENED),
        ("What's the difference between the two launch attempts?", Kind.HAPPENED),
        # factoids keep their short answers
        ("How much did TSMC's plant cost?", Kind.FACTOID),
        ("Who is the CEO of AND Global?", Kind.FACTOID),
        ("What did Kishida say he felt on his visit to the TSMC plant?", Kind.FACTOID),
        ("What did Orvane Robotics announce last week?", Kind.HAPPENED),
        ("How low is the yen's value, according to Hideaki Yokota?", Kind.FACTOID),
        ("Which two countries did NATO invite to join?", Kind.FACTOID),
        ("Which country was recommended for EU candidacy alongside Ukraine?", Kind.FACTOID),
        ("Which beloved series has been asked to be mindful of references?", Kind.FACTOID),
        ("What did Masayoshi Son say Japan could be left as if it ignores AI?", Kind.FACTOID),
        ("What made Japan a more attractive partner compared to China?", Kind.FACTOID),
    ],
)
def test_the_kind_of_answer_a_question_wants(question, kind):
    assert read_intent(question).kind is kind


def test_a_comparison_names_its_sides_and_a_summary_its_topic():
    assert read_intent("Compare what Microsoft and TSMC are investing in Japan.").sides == (
        "Microsoft",
        "TSMC",
    )
    assert read_intent("Compare US inflation in May and June.").sides == ("May", "June")
    assert read_intent("Compare the Harrowgate Bridge and the Velmora tram line.").sides == (
        "Harrowgate Bridge",
        "Velmora tram line",
    )
    # Shapes a reader uses: the verb, a trailing question, three sides, ordinals sharing their noun.
    assert compared_sides("How does the Harrowgate Bridge compare with the Velmora tram line?") == (
        "Harrowgate Bridge",
        "Velmora tram line",
    )
    assert read_intent("How is the bZ4X different from the Solterra?").sides == ("bZ4X", "Solterra")
    assert compared_sides("How does Squid Game season 2 differ from season 1?") == (
        "Squid Game season 2",
        "season 1",
    )
    assert read_intent("How were the two launches different from each other?").kind is Kind.EXPLAIN
    assert compared_sides("Harrowgate Bridge vs Velmora tram line: which costs more?") == (
        "Harrowgate Bridge",
        "Velmora tram line",
    )
    assert compared_sides("Compare Spain, Portugal and France in the heatwave.") == (
        "Spain",
        "Portugal",
        "France",
    )
    # An "and" inside a title or a name is no boundary when another "and" joins the sides.
    assert compared_sides(
        "Compare the opening weekends of Thor: Love and Thunder and Doctor Strange in the Multiverse of Madness."
    ) == ("Thor: Love and Thunder", "Doctor Strange")
    assert compared_sides("Compare Bosnia and Herzegovina and Serbia.") == (
        "Bosnia and Herzegovina",
        "Serbia",
    )
    assert compared_sides("Compare the first and second Artemis launch attempts.") == (
        "first Artemis launch attempts",
        "second Artemis launch attempts",
    )
    assert read_intent("Which is more expensive, the bridge or the tram?").sides == ("bridge", "tram")
    assert read_intent("Contrast the Moderna and Pfizer doses.").kind is Kind.COMPARISON
    # A yes/no question weighing two named things ("… A or B?" with a comparative) compares them.
    assert read_intent("What is the timeline for the Artemis launch?").topic == "the Artemis launch"
    assert read_intent("Is inflation worse in the UK or the US?").sides == ("UK", "US")
    assert read_intent("Did Succession or Ted Lasso get more Emmy nominations?").sides == (
        "Succession",
        "Ted Lasso",
    )
    assert read_intent("Did more Americans say Pence or Trump acted in the country's interests?").sides == (
        "Pence",
        "Trump",
    )
    assert read_intent("Which got more nominations: Succession or Ted Lasso?").sides == (
        "Succession",
        "Ted Lasso",
    )
    assert read_intent("Is the bridge open or closed?").kind is Kind.FACTOID  # weighs nothing
    assert read_intent("Did the NFL appeal or accept Watson's suspension?").kind is Kind.FACTOID
    assert read_intent("Should I rent or buy?").kind is Kind.FACTOID
    # "… with TSMC's": TSMC's investment, as the first side is Microsoft's
    assert compared_sides("How does Microsoft's investment compare with TSMC's?") == (
        "Microsoft's investment",
        "TSMC's investment",
    )
    assert compared_sides("How did June's inflation compare with May's?") == (
        "June's inflation",
        "May's inflation",
    )
    # "the one(s) …": the first side's thing ("one" is no side, and no figure either)
    assert compared_sides("Compare the suspension the NFL wanted for Watson and the one he got.") == (
        "suspension the NFL wanted for Watson",
        "suspension he got",
    )
    assert compared_sides("Compare the vaccine doses delivered and the ones shipped.") == (
        "vaccine doses delivered",
        "vaccine doses shipped",
    )
    # What "and" joins: two names, or the same preposition on both sides.
    assert compared_sides("Compare how Democrats and Republicans view the January 6 attack.") == (
        "Democrats",
        "Republicans",
    )
    assert compared_sides(
        "Compare how many Americans say Pence and Trump acted in the country's interest."
    ) == (
        "Pence",
        "Trump",
    )
    assert compared_sides("Compare the price of a can of formula in Mexicali and in the US.") == (
        "Mexicali",
        "US",
    )
    assert compared_sides("Compare the Bank of England and the Fed.") == ("Bank of England", "Fed")
    assert read_intent("Summarize the article.").topic == ""
    assert read_intent("Summarize what the article says about Microsoft.").topic == "Microsoft"
    assert (
        read_intent("Summarize what has happened with the Harrowgate Bridge.").topic
        == "the Harrowgate Bridge"
    )
    assert read_intent("What did Hideaki Yokota say?").speaker == "Hideaki Yokota"
    assert read_intent("Give me the latest on the heatwave.").topic == "the heatwave"
    assert read_intent("Catch me up on the student loan pause.").topic == "the student loan pause"
    assert read_intent("What's the latest on the bridge?").topic == "the bridge"
    assert read_intent("Summarize the bridge news.").topic == "the bridge"
    assert read_intent("Summarize the news.").topic == ""
    assert read_intent("Is Thor bigger than Doctor Strange at the box office?").sides == (
        "Thor",
        "Doctor Strange",
    )
    assert read_intent("Are rents in Miami rising faster than in New York?").sides == ("Miami", "New York")


def test_a_why_question_asks_for_a_cause_and_a_how_question_does_not():
    assert read_intent("Why are gas prices falling?").asks_cause
    assert read_intent("What caused the outage?").asks_cause
    assert not read_intent("How did the Huguenots defend themselves?").asks_cause
    assert not read_intent("What happened with the bridge?").asks_cause


def test_a_reaction_asked_of_someone_is_what_they_said():
    assert read_intent("What was Adams's reaction to the buses?").speaker == "Adams"
    assert read_intent("How did Hernandez react to losing?").speaker == "Hernandez"
    assert read_intent("How did the Taliban respond to the drone strike?").speaker == "the Taliban"
    assert read_intent("How did people react to the verdict?").kind is Kind.SAID
    assert read_intent("What was the reaction to the verdict?").kind is Kind.LIST


def test_a_crowd_saying_something_is_no_one_speaker_but_a_named_one_is():
    assert read_intent("What are people saying about the verdict?").speaker == ""
    assert read_intent("What are critics saying about the plan?").speaker == ""
    assert read_intent("What is Elon Musk saying about the deal?").speaker == "Elon Musk"


def test_a_list_names_the_things_it_asks_for_in_its_own_words():
    cases = {
        "What gear did the men arrested in Idaho have?": "gear",
        "What military moves did China make around Taiwan?": "military moves",
        "Which states get money for rural broadband?": "states",
        "What are the symptoms of monkeypox?": "symptoms",
        "Who are the nominees for best picture?": "nominees",
        "What companies announced layoffs this month?": "companies",
        "Who did Olena Zelenska meet in Washington?": "",
        "What is in the Senate's gun safety agreement?": "",
    }
    assert {q: read_intent(q).asked_for for q in cases} == cases


@pytest.mark.parametrize(
    ("question", "flag", "expected"),
    [
        # A history, a timeline or a career asks for the story's past.
        ("What is the history of the Buffett lunch auction?", "history", True),
        ("Run me through Nichelle Nichols's career.", "history", True),
        ("Give me a timeline of the Artemis launch attempts.", "history", True),
        ("Summarize the Broncos sale.", "history", False),
        ("When did Gronkowski's career start?", "history", False),  # one fact
        # What comes next asks ahead.
        ("What's next after NASA's first launch from Australia?", "ahead", True),
        ("What will happen to the dinosaur tracks when it rains?", "ahead", True),
        ("What are the next steps for student loans?", "ahead", True),
        ("What happened with the Broncos sale?", "ahead", False),
        ("When will the next launch be?", "ahead", False),  # one fact
    ],
)
def test_a_story_asked_for_its_past_or_for_what_comes_next(question, flag, expected):
    assert getattr(read_intent(question), flag) is expected
