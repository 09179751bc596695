class Refused(Exception):
    """A service said no for a reason the caller should show: `code` for machines, `detail` for
    people. The API answers `{"error": code, "detail": detail}` with `status`."""

    def __init__(self, code: str, detail: str, *, status: int = 409):
        super().__init__(detail)
        self.code, self.detail, self.status = code, detail, status
