"""reportgen: 協会けんぽ支部評議会資料を一つのデータから DOCX / XLSX / PDF で生成する。"""

__version__ = "0.1.0"
