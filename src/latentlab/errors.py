"""The one exception type a user can act on."""


class LatentlabError(Exception):
    """A problem with the user's input or files, stated in one sentence.

    Stages turn it into that sentence on stderr and a non-zero exit (see `cli.run_stage`);
    anything else is a bug and keeps its traceback.
    """
