"""Allow `python -m interviewprep`."""
from interviewprep.cli.app import main

main()
