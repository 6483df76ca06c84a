# exifq fork driver for exiftool (see docs/exiftool.md). Usage: perl -e "$(cat this)" /abs/path/to/exiftool
#
# Speaks exiftool's -stay_open argfile protocol on stdin (one argument per line, "-executeNUM" runs the
# command, "-stay_open" + "False" stops), but runs every command in a fork of this pristine parent, so each
# command sees the state of a freshly started exiftool. A long-lived "exiftool -stay_open" process keeps every
# module that earlier files made it load, and those modules' Composite tags change the order of the Composite
# group for later files; with a fork per command the output is byte-for-byte that of a one-off exiftool run.
use strict;
use warnings;
use POSIX ();

my $script = shift @ARGV;
defined $script or die "usage: perl -e DRIVER EXIFTOOL\n";
(my $lib = $script) =~ s{[^/\\]*\z}{lib};
unshift @INC, $lib;
{ no warnings 'once'; $Image::ExifTool::configFile = ''; }  # as "exiftool -config ''": no config file
require Image::ExifTool;             # what exiftool loads first anyway: compiled once, shared by the forks

binmode STDIN;
$| = 1;
my (@args, $stayOpen);
while (defined(my $line = <STDIN>)) {
    $line =~ s/\n\z//;
    if ($stayOpen) {
        undef $stayOpen;
        exit 0 if lc($line) eq 'false';
        next;
    }
    if (lc($line) eq '-stay_open') {
        $stayOpen = 1;
        next;
    }
    if ($line =~ /^-execute(\d*)\z/i) {
        my ($id, @cmd) = ($1, @args);
        @args = ();
        my $pid = fork;
        defined $pid or die "exifq fork driver: fork failed: $!\n";
        unless ($pid) {
            open(STDIN, '<', '/dev/null');
            print STDERR "{fork$id:$$}\n";  # lets the pool kill this child even if the parent is gone
            @ARGV = @cmd;
            $0 = $script;
            do $script;                      # exiftool exits by itself
            print STDERR $@ if $@;
            POSIX::_exit(255);
        }
        waitpid($pid, 0);
        my $status = $?;
        # killed by a signal, or died in Perl (exit codes above exiftool's 0..2): behave like a crashed exiftool
        POSIX::_exit(3) if ($status & 127) or ($status >> 8) > 2;
        print "{ready$id}\n";
        next;
    }
    push @args, $line;
}
exit 0;
