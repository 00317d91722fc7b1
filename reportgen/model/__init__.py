"""The data model: what one branch's data set for one year says, independent of files."""
