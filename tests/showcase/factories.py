import factory

from hubsync.models import HubModel
from meetup.showcase.models import Comment, Project, ProjectLink
from tests.factories import UserFactory


class HubModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HubModel

    repo_id = factory.Sequence(lambda n: f"org{n % 7}/model-{n}")
    author = factory.LazyAttribute(lambda m: m.repo_id.partition("/")[0])
    sha = factory.Sequence(lambda n: f"{n:040x}")
    likes = 10
    downloads = 1000
    pipeline_tag = "text-generation"
    library_name = "transformers"
    license = "apache-2.0"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    summary = "A demo built on an open model."
    description = "It **works**."
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def members(project, create, extracted, **kwargs):
        if create:
            project.team.add(project.created_by, *(extracted or []))


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectLink

    project = factory.SubFactory(ProjectFactory)
    hub_model = factory.SubFactory(HubModelFactory)
    repo_type = "model"
    requested_id = factory.LazyAttribute(lambda link: link.hub_model.repo_id)
    status = ProjectLink.Status.LINKED


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    project = factory.SubFactory(ProjectFactory)
    author = factory.SubFactory(UserFactory)
    body = "Nice demo!"
