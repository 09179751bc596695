from ninja import NinjaAPI
from ninja.security import django_auth

from meetup.accounts.api import router as accounts_router
from meetup.accounts.auth import TokenAuth, public
from meetup.broadcasts.api import router as broadcasts_router
from meetup.demos.api import router as demos_router
from meetup.events.api import router as events_router
from meetup.events.door_api import router as door_router
from meetup.events.offers_api import router as offers_router
from meetup.events.registration_api import router as registration_router
from meetup.events.venues_api import router as venues_router
from meetup.lib.api import install_error_handlers
from meetup.program.api import router as program_router
from meetup.showcase.api import router as showcase_router


class MeetupAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Public reads say in the schema that auth is optional (an empty requirement beside the
        token and the session), as they behave: anonymous callers get an answer, not a 401."""
        schema = super().get_openapi_schema(*args, **kwargs)
        public_ids = {
            operation.operation_id or self.get_openapi_operation_id(operation)
            for _, router in self._routers
            for view in router.path_operations.values()
            for operation in view.operations
            if operation.auth_param is public
        }
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                if isinstance(operation, dict) and operation.get("operationId") in public_ids:
                    security = operation.setdefault("security", [])
                    if {} not in security:
                        security.append({})
        return schema


api = MeetupAPI(
    title="Open AI Meetups API",
    version="1",
    description="Events, RSVPs, check-in and broadcasts. Authenticate with `Authorization: Bearer <token>`.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", events_router)
api.add_router("", offers_router)
api.add_router("", venues_router)
api.add_router("", registration_router)
api.add_router("", door_router)
api.add_router("", broadcasts_router)
api.add_router("", showcase_router)
api.add_router("", program_router)
api.add_router("", demos_router)
