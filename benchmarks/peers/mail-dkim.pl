#!/usr/bin/perl
# Peer driver for Mail::DKIM: DKIM verification of the harness's messages, the keys answered from
# memory (Mail::DKIM::DNS::query replaced), one thread, timed as every driver of the harness times:
# warm up, then the median rate of timed rounds.
#
#   perl mail-dkim.pl DIR [--quick]
#
# Reads DIR/corpus.json; prints one JSON object a line, as the other drivers do.
use strict;
use warnings;
use JSON::PP;
use Time::HiRes qw(time);
use Mail::DKIM;
use Mail::DKIM::Verifier;
use Mail::DKIM::DNS;
use Net::DNS;

my ($dir, @rest) = @ARGV;
die "usage: mail-dkim.pl DIR [--quick]\n" unless defined $dir;
my $quick = grep { $_ eq '--quick' } @rest;
my ($warm_up, $round, $rounds) = $quick ? (0.5, 0.5, 3) : (2.0, 1.0, 5);

sub slurp {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "$path: $!\n";
    local $/;
    my $data = <$fh>;
    close $fh;
    return $data;
}

my $corpus = JSON::PP->new->decode(slurp("$dir/corpus.json"));

# TXT answers made once: a record longer than 255 octets goes in strings of at most 255.
my %answers;
for my $name (keys %{ $corpus->{keys} }) {
    my $record = $corpus->{keys}{$name};
    my @strings = unpack '(a255)*', $record;
    $answers{ lc $name } = Net::DNS::RR->new(name => $name, type => 'TXT', txtdata => \@strings);
}
{
    no warnings 'redefine';
    *Mail::DKIM::DNS::query = sub {
        my ($domain, $type) = @_;
        my $rr = $answers{ lc($domain =~ s/\.$//r) };
        return ($type eq 'TXT' && $rr) ? ($rr) : ();
    };
}

sub verify_once {
    my ($message) = @_;
    my $dkim = Mail::DKIM::Verifier->new();
    $dkim->PRINT($message);
    $dkim->CLOSE();
    return ($dkim->result, $dkim->result_detail);
}

sub per_second {
    my ($op) = @_;
    my $start = time;
    $op->() while time - $start < $warm_up;
    my @rates;
    for (1 .. $rounds) {
        my ($t0, $n, $t) = (time, 0);
        do { $op->(); $n++; $t = time } while ($t - $t0 < $round);
        push @rates, $n / ($t - $t0);
    }
    @rates = sort { $a <=> $b } @rates;
    return $rates[ int(@rates / 2) ];
}

my $json = JSON::PP->new->canonical;
my $version = sprintf '%s, Perl %vd', $Mail::DKIM::VERSION, $^V;
for my $m (@{ $corpus->{messages} }) {
    my $message = slurp("$dir/$m->{file}");
    my ($result, $detail) = verify_once($message);
    my %line = (peer => 'Mail::DKIM', version => $version, kind => 'dkim', case => $m->{case});
    if ($result ne 'pass') {
        print $json->encode({ %line, error => $detail }), "\n";
        next;
    }
    my $rate = per_second(sub { verify_once($message) });
    print $json->encode({ %line, perSecond => 0 + sprintf('%.1f', $rate) }), "\n";
}
