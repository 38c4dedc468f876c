"""``python -m smartcity_model``: the ``smartcity`` command, where its script is not on the PATH."""

from smartcity_model.cli import main

if __name__ == "__main__":
    main(prog_name="smartcity")
