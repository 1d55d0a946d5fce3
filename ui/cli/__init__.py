"""无界面命令（python main.py 子命令）。"""
