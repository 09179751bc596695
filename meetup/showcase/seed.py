"""Demo projects for `seed_demo`, linked to the bundled Hub snapshot so the gallery looks real with
no network access."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from hubsync.models import HubModel
from hubsync.services import snapshot_load
from meetup.events.models import Event
from meetup.showcase import services
from meetup.showcase.models import Comment, Like, Project, ProjectLink

PROJECTS = [
    ("Ask the meetup", "A Q&A bot over every talk transcript: retrieval with MiniLM, answers from Mistral 7B.",
     ["sentence-transformers/all-MiniLM-L6-v2", "mistralai/Mistral-7B-v0.1"],
     "Embeds talk transcripts with **all-MiniLM-L6-v2**, retrieves the five closest chunks and asks "
     "Mistral 7B to answer with citations.\n\n- index: 1,900 chunks\n- answers in about 2 s on one GPU"),
    ("Live captions for talks", "Whisper small transcribes the main stage, with subtitles on the big screen "
     "within two seconds.", ["openai/whisper-small"],
     "Streams audio in 5-second windows to **Whisper small** and merges overlapping segments.\n\n"
     "Known issue: speaker names are often misspelt; we keep a glossary."),
    ("Tiny story machine", "Kids type a first line, GPT-2 writes the next paragraph, a printer prints it.",
     ["gpt2"], "A Raspberry Pi, a thermal printer and the smallest GPT-2. Linked by its old id `gpt2`: the "
                "Hub redirects it to its canonical name."),
    ("Recipe swap assistant", "Suggests substitutions for what is missing in your fridge, built on Llama 3.1 8B.",
     ["meta-llama/Llama-3.1-8B"], "Fine-tuned with LoRA on 12k recipe edits. The base model is gated on the Hub, "
                                  "so its card is read there."),
    ("Semantic search for meetup notes", "Finds the right note from a half-remembered phrase.",
     ["google-bert/bert-base-uncased"], "A BERT encoder fine-tuned on our own note pairs."),
    ("SmolLM on a Raspberry Pi", "An assistant that runs offline on a Pi 5 at 6 tokens per second.",
     ["HuggingFaceTB/SmolLM2-1.7B-Instruct"], "Quantised to 4 bits with llama.cpp; the demo answers questions "
                                              "about the venue."),
    ("FineWeb explorer", "Browse and filter a 10B-token sample of FineWeb by topic and quality score.",
     ["datasets/HuggingFaceFW/fineweb"], "Topic clusters from embeddings of 2M documents."),
    ("Mystery model", "Someone linked a repository that does not exist (yet).", ["someone/not-released-yet"],
     "Shows how a link that the Hub does not know is displayed."),
]

COMMENTS = [
    "This was the best demo of the night!",
    "How did you handle latency? Would love to read the code.",
    "Could this work for **French** talks too?",
    "Great model card, thanks for documenting the limitations.",
]


def demo_seed(*, stdout=None) -> int:
    """Load the Hub snapshot and the demo projects, with likes and comments. Idempotent: projects
    that exist are left as they are. Returns how many projects were created."""
    snapshot_load()
    User = get_user_model()
    rng = random.Random(2026)
    owner = User.objects.filter(username="ada").first()
    if owner is None:
        return 0
    people = list(User.objects.filter(username__startswith="attendee").order_by("username")[:300])
    event = Event.objects.filter(slug="open-models-night-11").first()
    created = 0
    for i, (title, summary, links, description) in enumerate(PROJECTS):
        if Project.objects.filter(title=title).exists():
            continue
        author = owner if i % 3 == 0 or not people else people[i * 7 % len(people)]
        project = services.project_create(user=author, title=title, summary=summary, description=description,
                                          event=event, hub_links=links)
        Project.objects.filter(pk=project.pk).update(created_at=timezone.now() - timedelta(days=50 - i * 5))
        _settle_links(project)
        fans = rng.sample(people, min(len(people), rng.randint(3, 60))) if people else []
        Like.objects.bulk_create([Like(project=project, user=fan) for fan in fans], ignore_conflicts=True)
        Like.objects.filter(project=project).update(created_at=timezone.now() - timedelta(hours=rng.randint(1, 200)))
        Project.objects.filter(pk=project.pk).update(like_count=Like.objects.filter(project=project).count())
        for body in rng.sample(COMMENTS, 2 if people else 0):
            Comment.objects.create(project=project, author=rng.choice(people), body=body)
        created += 1
    services.trending_recompute()
    if stdout is not None:
        stdout.write(f"Showcase: {created} demo projects created, {Project.objects.count()} in the gallery.")
    return created


def _settle_links(project: Project) -> None:
    """Link to the snapshot as hubsync would after a look-up (the old id `gpt2` redirects)."""
    aliases = {"gpt2": "openai-community/gpt2"}
    for link in project.links.all():
        canonical = aliases.get(link.requested_id, link.requested_id)
        hub_model = HubModel.objects.filter(repo_type=link.repo_type, repo_id=canonical).first()
        if hub_model is None:
            hub_model, _ = HubModel.objects.get_or_create(repo_type=link.repo_type, repo_id=canonical,
                                                          defaults={"status": HubModel.Status.NOT_FOUND,
                                                                    "fetched_at": timezone.now()})
        status = ProjectLink.Status.LINKED if hub_model.status == HubModel.Status.OK else ProjectLink.Status.NOT_FOUND
        ProjectLink.objects.filter(pk=link.pk).update(hub_model=hub_model, status=status)
