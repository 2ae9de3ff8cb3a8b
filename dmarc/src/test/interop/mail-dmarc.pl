#!/usr/bin/perl
# DMARC interoperability driver for Mail::DMARC (Debian's libmail-dmarc-perl; RFC 7489:
# organizational domain from the Public Suffix List, sp, pct; no np, t or psd).
#
#   perl mail-dmarc.pl --dns 127.0.0.1:PORT [--psl FILE] [--pct-roll N] < cases.jsonl
#   perl mail-dmarc.pl --version
#
# Reads one case a line: {"name", "from", "spf": [{"domain", "scope": "mfrom"|"helo", "result"}],
# "dkim": [{"domain", "selector", "result"}]} and writes one result a line, in the same order:
# {"name", "result", "policy", "applied", "policyDomain", "orgDomain", "alignment": {"spf", "dkim"},
# "raw"}, or {"name", "error"} for a case it could not evaluate. Every DNS query goes to the
# server named by --dns and nowhere else.
#
# --psl FILE   the Public Suffix List to use; default Debian's publicsuffix package file, as
#              Debian's mail-dmarc.ini has it, else the copy Mail::DMARC ships
# --pct-roll N what Mail::DMARC's rand(100) returns, so pct sampling (RFC 7489 6.6.4) is
#              repeatable: the policy applies when N < pct. Default 0: every failing message is
#              in the sample unless pct=0.
use strict;
use warnings;

use File::Temp qw(tempfile);
use JSON::PP;
use Net::DNS;

my ( $server, $psl, $roll, $version );

BEGIN {
    $roll = 0;
    my @args = @ARGV;
    while (@args) {
        my $arg = shift @args;
        if    ( $arg eq '--dns' )      { $server  = shift @args; }
        elsif ( $arg eq '--psl' )      { $psl     = shift @args; }
        elsif ( $arg eq '--pct-roll' ) { $roll    = shift @args; }
        elsif ( $arg eq '--version' )  { $version = 1; }
        else                           { die "unknown argument $arg\n"; }
    }
    die "--pct-roll takes 0 to 99\n" if $roll !~ /^[0-9]{1,2}$/;

    # Installed before Mail::DMARC::PurePerl is compiled, so its "int( rand(100) )" in
    # validate() calls this instead of the builtin.
    no strict 'refs';
    *{'Mail::DMARC::PurePerl::rand'} = sub { return $roll; };
}

require Mail::DMARC::PurePerl;

my $json = JSON::PP->new->canonical->allow_nonref;

$psl //= -r '/usr/share/publicsuffix/public_suffix_list.dat'
    ? '/usr/share/publicsuffix/public_suffix_list.dat'
    : File::ShareDir::dist_file( 'Mail-DMARC', 'public_suffix_list' );

if ($version) {
    print $json->encode(
        {   peer     => 'Mail::DMARC',
            version  => $Mail::DMARC::PurePerl::VERSION,
            net_dns  => $Net::DNS::VERSION,
            perl     => sprintf( '%vd', $^V ),
            psl      => $psl,
        }
    ), "\n";
    exit 0;
}

if ( !$server || $server !~ /^([0-9.]+):([0-9]+)$/ ) {
    # never fall back to the system's resolver: the cases are about our zone only
    die "usage: mail-dmarc.pl --dns HOST:PORT [--psl FILE] [--pct-roll N] < cases.jsonl | --version\n";
}
my ( $host, $port ) = ( $1, $2 );

# Mail::DMARC reads its settings from an ini file; this one only names the PSL and turns off
# saving aggregate report data.
my ( $ini_fh, $ini ) = tempfile( 'mail-dmarc-XXXXXX', SUFFIX => '.ini', TMPDIR => 1, UNLINK => 1 );
print {$ini_fh} "[report_store]\nauto_save = 0\n\n[dns]\ntimeout = 2\npublic_suffix_list = $psl\n";
close $ini_fh;

my $resolver = Net::DNS::Resolver->new(
    config_file => '/dev/null',
    nameservers => [$host],
    port        => $port,
    dnsrch      => 0,
    defnames    => 0,
    udp_timeout => 2,
    tcp_timeout => 2,
    retry       => 2,
);

sub list_of {
    my ( $case, $field ) = @_;
    my $value = $case->{$field};
    return [] if !defined $value;
    die "\"$field\" must be a list\n" if ref $value ne 'ARRAY';
    return $value;
}

sub evaluate {
    my ($case) = @_;
    my $from = $case->{from};
    die "\"from\" must be a string\n" if !defined $from || ref $from;
    my $spf  = list_of( $case, 'spf' );
    my $dkim = list_of( $case, 'dkim' );

    my $dmarc = Mail::DMARC::PurePerl->new( config_file => $ini );
    $dmarc->set_resolver($resolver);
    # a bare domain goes in as the RFC5322.From domain, an address through Mail::DMARC's own
    # get_from_dom(), which takes the text after the last "@"
    if ( $from =~ /@/ ) { $dmarc->header_from_raw($from); }
    else                { $dmarc->header_from($from); }
    $dmarc->spf(
        [ map { { domain => $_->{domain}, scope => $_->{scope}, result => $_->{result} } } @$spf ] )
        if @$spf;
    $dmarc->dkim(
        [   map {
                {   domain   => $_->{domain},
                    selector => $_->{selector} // '',
                    result   => $_->{result}
                }
            } @$dkim
        ]
    ) if @$dkim;

    my $result = $dmarc->validate();

    my $published = eval { $result->published };
    my $from_dom  = $dmarc->header_from;
    # the expression validate() uses for the policy it applies to a failing message
    my $policy;
    if ($published) {
        $policy = $dmarc->is_subdomain && defined $published->sp ? $published->sp : $published->p;
        $policy = lc $policy if defined $policy;
    }
    my $evaluated = $result->result eq 'pass' || $result->result eq 'fail';
    my $org = $from_dom ? eval { $dmarc->get_organizational_domain($from_dom) } : undef;

    my %tags = $published ? map { $_ => $published->{$_} } grep { !ref $published->{$_} } keys %$published : ();
    return {
        result       => $result->result,
        policy       => $evaluated ? $policy : undef,
        applied      => $evaluated ? $result->disposition : undef,
        policyDomain => $published ? $published->domain : undef,
        orgDomain    => $org,
        alignment    => $published
            ? { spf => ( $result->spf eq 'pass' ? JSON::PP::true : JSON::PP::false ),
                dkim => ( $result->dkim eq 'pass' ? JSON::PP::true : JSON::PP::false ) }
            : undef,
        raw => {
            result       => $result->result,
            disposition  => $result->disposition,
            spf          => $result->spf,
            dkim         => $result->dkim,
            spf_align    => $result->{spf_align},
            dkim_align   => $result->{dkim_align},
            is_subdomain => $dmarc->is_subdomain ? JSON::PP::true : JSON::PP::false,
            reason       => [ map { { type => $_->type, comment => $_->comment } } @{ $result->reason } ],
            published    => $published ? \%tags : undef,
        },
    };
}

$| = 1;
while ( my $line = <STDIN> ) {
    next if $line !~ /\S/;
    my $name;
    my $out = eval {
        my $case = $json->decode($line);
        die "a case must be an object\n" if ref $case ne 'HASH';
        $name = $case->{name};
        my $evaluation = evaluate($case);
        { name => $name, %$evaluation };
    };
    if ( !$out ) {
        my $error = $@ || 'unknown error';
        $error =~ s/\s+$//;
        $out = { name => $name, error => $error };
    }
    print $json->encode($out), "\n";
}
