# The image is a symbolic link out of the show, to /etc/passwd.
rm -f feed/wide.jpg && ln -s /etc/passwd feed/wide.jpg
