"""What the window's menus and buttons do with files: open a list, open or make a campaign.

Controllers are plain QObjects the window holds (composition, not mixins): they take the
``Services`` and a host widget for their dialogs, and say what changed through signals.
"""
