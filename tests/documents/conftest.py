from tests.programs.conftest import program

__all__ = ["program"]
