from datetime import datetime
from typing import Any, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import ConfigDict, StrictBool, StrictStr

from meetup.accounts.auth import public
from meetup.demos import selectors, services
from meetup.lib.bounds import INT_MAX, Id
from meetup.lib.net import client_ip
from meetup.showcase import access

router = Router(tags=["demos"])


class DemoOut(Schema):
    project: str
    repo_id: str
    revision: str
    task: str
    enabled: bool
    max_input_chars: int
    max_new_tokens: int

    @staticmethod
    def resolve_project(obj) -> str:
        return obj.project.slug


class DemoIn(Schema):
    model_config = ConfigDict(extra="forbid")

    repo_id: StrictStr = Field(..., max_length=200, description="one of the project's linked models")
    task: Literal["text-generation", "text-classification", "fill-mask", "feature-extraction",
                  "sentence-similarity"]
    revision: StrictStr = Field("", max_length=40, description="a commit sha; the model's current one if empty")
    enabled: StrictBool = False
    max_input_chars: int = Field(500, ge=1, le=INT_MAX)
    max_new_tokens: int = Field(64, ge=1, le=INT_MAX)


class RunIn(Schema):
    model_config = ConfigDict(extra="forbid")

    input: StrictStr = Field(..., max_length=100_000, description="for fill-mask write [MASK] once; for "
                             "sentence-similarity one sentence per line, the first compared with the others")


class RunOut(Schema):
    id: int
    project: str
    status: str = Field(..., description="queued, running, done, failed or timed_out")
    input: str
    output: dict[str, Any] | None
    error: str
    repo_id: str
    revision: str
    device: str
    batch_size: int | None
    inference_ms: int | None
    latency_ms: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_project(obj) -> str:
        return obj.demo.project.slug


def _demo(request, slug: str):
    project = access.visible_project(request, slug)
    demo = selectors.demo_of(project)
    if demo is None:
        raise Http404(_("This project has no demo."))
    return project, demo


@router.get("/projects/{slug}/demo", response=DemoOut, auth=public, summary="A project's demo")
def demo_detail(request, slug: str):
    return _demo(request, slug)[1]


@router.put("/projects/{slug}/demo", response=DemoOut, summary="Set up a project's demo (organisers)")
def demo_configure(request, slug: str, payload: DemoIn):
    project = access.visible_project(request, slug)
    return services.demo_configure(project=project, user=request.user, **payload.model_dump())


@router.post("/projects/{slug}/demo", response={202: RunOut}, summary="Try the demo: queue a run")
def run_create(request, slug: str, payload: RunIn):
    _unused, demo = _demo(request, slug)
    run = services.demo_run_create(demo=demo, user=request.user, ip=client_ip(request),
                                   text=payload.input)
    return 202, run


@router.get("/demo-runs/{int:pk}", response=RunOut, summary="A demo run and its result")
def run_detail(request, pk: Id):
    run = selectors.run_for(request.user, pk)
    if run is None:
        raise Http404(_("No such demo run."))
    return run
