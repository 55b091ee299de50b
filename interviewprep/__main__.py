"""Allow `python -m interviewprep`."""
from interviewprep.cli import main

main()
