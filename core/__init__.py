"""价值金字塔营销助手的业务核心：纯 Python + pandas，不依赖 Qt。"""
