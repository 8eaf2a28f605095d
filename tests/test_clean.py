from rag.clean import clean_body
from rag.ingest import load_file

from .conftest import SEED

NOISE = [
    "Meta, IBM join new alliance to keep AI open, but Microsoft and Google sit out",
    "Japanese prime minister talks tech cooperation with US as state visit begins",
    "World’s largest contract chip maker TSMC inaugurates its first plant in Japan",
    "Chips ahoy! Japan recharges home-made semiconductors – with Taipei’s help",
    "‘It is serious’: over 1 in 4 Japanese old enough to retire as population shrinks",
    "Photo: AFP",
    "This website uses cookies",
]


def _seed_article():
    articles, problems = load_file(SEED, SEED.parent)
    assert not problems
    return articles[0]


def test_seed_article_keeps_every_real_sentence():
    article = _seed_article()
    raw_lines = SEED.read_text(encoding="utf-8").split("\n")[1:]
    real = [line.strip() for line in raw_lines if line.strip() and not any(n in line for n in NOISE)]
    assert len(real) >= 25
    for line in real:
        assert line in article.body, f"lost: {line}"


def test_seed_article_drops_captions_banner_and_pasted_headlines():
    article = _seed_article()
    for noise in NOISE:
        assert noise not in article.body, noise
    assert "Visitors at the 7th AI Expo" not in article.body  # a caption that repeats a real sentence
    assert article.body.count("Japan was ranked a lowly 32nd") == 1


def test_seed_headline_is_first_line():
    assert _seed_article().title.startswith("Japan hopes to be ‘best partner in Asia’")


def test_repeated_line_is_dropped_once_and_text_is_kept():
    cleaned = clean_body("First real sentence.\nSecond one here.\nFirst real sentence.")
    assert cleaned.text == "First real sentence.\n\nSecond one here."
    assert cleaned.removed == ("First real sentence.",)


def test_hard_wrapped_paragraphs_are_joined_not_dropped_as_headlines():
    body = (
        "The Harbourview tram line in the city of Norrvik opened on 3 November, carrying 41,000 passengers on its\n"
        "first day. The 14-kilometre line cost 780 million kroner, the transport authority said.\n\n"
        "Related: other tram news\n\n"
        "A second paragraph that is long enough to be wrapped at a fixed width of\n"
        "about eighty characters ends here."
    )
    cleaned = clean_body(body)
    assert (
        "city of Norrvik opened on 3 November, carrying 41,000 passengers on its first day." in cleaned.text
    )
    assert "wrapped at a fixed width of about eighty characters ends here." in cleaned.text
    assert cleaned.removed == ("Related: other tram news",)


def test_newsletter_promotions_and_video_player_titles_go_but_sentences_about_signing_up_stay():
    body = (
        "Sign up for CNN’s Wonder Theory science newsletter. Explore the universe with news on discoveries.\n\n"
        "A stellar nursery and an exoplanet are among the first images shared Tuesday.\n\n"
        "Video Ad Feedback Biden forgave $10K in student debt. People flooded TikTok 02:08 - Source: CNN\n\n"
        "This story is part of CNN Business’ Nightcap newsletter. To get it in your inbox, sign up for free, here.\n\n"
        "To be notified when the application is open, borrowers can sign up at studentaid.gov.\n\n"
        "Lopez confirmed their wedding in her newsletter Sunday."
    )
    cleaned = clean_body(body)
    assert cleaned.text.split("\n\n") == [
        "A stellar nursery and an exoplanet are among the first images shared Tuesday.",
        "To be notified when the application is open, borrowers can sign up at studentaid.gov.",
        "Lopez confirmed their wedding in her newsletter Sunday.",
    ]
    assert len(cleaned.removed) == 3


def test_a_caption_ending_in_its_photographers_credit_goes():
    body = (
        "Protesters took control of the Prime Minister's office on Wednesday, police said.\n\n"
        "Sri Lankan protesters chant slogans in Colombo on July 13. Abhishek Chinnappa/Getty Images\n\n"
        "A truck sits on the edge of a river, Thursday, July 14, 2022, in Whitewood. Michael Clubb/AP\n\n"
        "The agency said the figures, first reported by AP, were revised on Friday."
    )
    assert clean_body(body).text.split("\n\n") == [
        "Protesters took control of the Prime Minister's office on Wednesday, police said.",
        "The agency said the figures, first reported by AP, were revised on Friday.",
    ]


SUBHEADED = (
    "Mayor Elin Varga of Norrvik has faced a string of controversies since taking office in 2023, and her "
    "council allies are losing patience.\n\n"
    "Plumbgate\n\n"
    "Varga was found to have hired her brother's firm to replace the pipes at the town hall without a "
    "tender, at a cost of 2.4 million kroner.\n\n"
    "Related: other tram news\n\n"
    "An audit published in May said the contract broke procurement rules, and Varga repaid 300,000 kroner.\n\n"
    "READS OF THE WEEK\n\n"
    "The harbour vote\n\n"
    "In June, Varga pushed through a vote to sell the old harbour to a developer, despite objections from "
    "residents who wanted a public park."
)


def test_subheads_between_paragraphs_stay_but_labels_and_shouted_lines_go():
    cleaned = clean_body(SUBHEADED)
    paragraphs = cleaned.text.split("\n\n")
    assert "Plumbgate" in paragraphs and "The harbour vote" in paragraphs
    assert cleaned.removed == ("Related: other tram news", "READS OF THE WEEK")


def test_a_short_line_that_ends_the_article_is_no_subhead():
    cleaned = clean_body(
        "A real sentence that runs long enough to be a paragraph of an article here.\nMore on this"
    )
    assert cleaned.removed == ("More on this",)


# A list printed one item a line after a paragraph: each line alone reads as a pasted headline.
NOMINEES = """The Harbour Awards named their nominees on Tuesday, led by three dramas.

See below for the nominees in the top categories.

Best drama series
“Tidewater”
“The Lamplighters”
“Salt & Iron”
Best lead actor
Ana Ruiz, “Tidewater”
Tomas Berg, “The Lamplighters”
Lee Min-ho, “Salt & Iron”

Voting closes on March 3, the academy said."""


def test_a_list_one_item_a_line_stays_as_one_sentence_per_heading():
    cleaned = clean_body(NOMINEES)
    paragraphs = cleaned.text.split("\n\n")
    assert "Best drama series: “Tidewater”; “The Lamplighters”; “Salt & Iron”." in paragraphs
    assert (
        "Best lead actor: Ana Ruiz, “Tidewater”; Tomas Berg, “The Lamplighters”; Lee Min-ho, “Salt & Iron”."
        in (paragraphs)
    )
    assert paragraphs[-1] == "Voting closes on March 3, the academy said."
    assert cleaned.removed == ()


def test_short_lines_not_after_a_paragraph_are_no_list():
    cleaned = clean_body(
        "Other tram news\nCity budget approved\nMayor re-elected\nHarbour reopens\n"
        "A real sentence that runs long enough to be a paragraph of the article here."
    )
    assert cleaned.removed == (
        "Other tram news",
        "City budget approved",
        "Mayor re-elected",
        "Harbour reopens",
    )


def test_a_subhead_above_its_sections_photo_stays():
    cleaned = clean_body(
        "Families light candles and spread marigold petals for their loved ones this week.\n"
        "Artisans make colorful sugar skulls\n"
        "Skulls made of sugar decorate the altars of the holiday. Omar Torres/AFP/Getty Images\n"
        "Artisans spend hours turning sugar, hot water and lime into a paste they mold into skulls."
    )
    assert "Artisans make colorful sugar skulls" in cleaned.text.split("\n\n")
    assert cleaned.removed == (
        "Skulls made of sugar decorate the altars of the holiday. Omar Torres/AFP/Getty Images",
    )


def test_a_dateline_run_into_the_lede_goes_and_the_lede_stays():
    cleaned = clean_body(
        "New York (CNN Business) Most Americans facing record gas prices cringe when they fill up their tanks.\n"
        "But not people in New Jersey and Oregon."
    )
    assert cleaned.text.startswith("Most Americans facing record gas prices cringe")
    assert cleaned.removed == ("New York (CNN Business)",)
    assert clean_body("WASHINGTON (AP) — The Senate passed the bill on Tuesday.").text == (
        "The Senate passed the bill on Tuesday."
    )
    # Only the first paragraph's opening is a dateline: a later "(CNN)" in a sentence is a source.
    later = "The storm hit on Monday.\nForecasters (CNN) Weather said more rain would come."
    assert (
        clean_body(later).text
        == "The storm hit on Monday.\n\nForecasters (CNN) Weather said more rain would come."
    )
