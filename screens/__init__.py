"""The Textual assistant: screens over the same recipes the command line uses."""
