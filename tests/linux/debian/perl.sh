# perl-base one-liners.
perl -e 'print join(",", map { $_ * $_ } 1..5), "\n"'
printf 'a=1\nb=2\n' | perl -ne 'chomp; my ($k, $v) = split /=/; print "$v:$k\n"'
perl -e 'my %h = (x => 1, y => 2); print join(" ", map {"$_=$h{$_}"} sort keys %h), "\n"'
perl -e 'printf "%.3f %s\n", atan2(1, 1) * 4, scalar reverse "abc"'
echo "hello world" | perl -pe 's/(\w+)/\u$1/g'
perl -e 'opendir(my $d, ".") or die; print scalar(grep { !/^\./ } readdir $d), " entries\n"'
perl -e 'exit 3'; echo "perl status $?"
