#!/bin/sh
# sudo -A calls this to ask for the administrator password in a system dialog (the flash helper
# must run as root to write a drive). The password goes to sudo on stdout, nowhere else.
exec /usr/bin/osascript \
  -e 'display dialog "Kairos Factory needs an administrator password to write the drive." with title "Kairos Factory" default answer "" with hidden answer with icon caution' \
  -e 'text returned of result'
