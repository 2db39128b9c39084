# The transcript is a symbolic link out of the show, to /etc/passwd.
rm -f episodes/001-a.vtt && ln -s /etc/passwd episodes/001-a.vtt
