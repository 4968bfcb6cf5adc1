//! The upstream release lines whose behaviour this library reproduces.
//!
//! Linux distributions ship different releases of the original libaudit under one SONAME, and
//! they differ in tables (newer syscalls, machines), in what rule building accepts and in the
//! bytes of some records. Where the core's behaviour differs between lines, its functions take
//! the [`Line`] to follow; a Rust program normally passes [`Line::NEWEST`].

use std::fmt;
use std::str::FromStr;

/// A release line of upstream's libaudit, oldest first: lines compare by age, so
/// `line >= Line::V4_0_2` reads "4.0.2 or newer".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Line {
    /// 3.0.9: Debian 12.
    V3_0_9,
    /// 3.1.2: Ubuntu 24.04 LTS.
    V3_1_2,
    /// 4.0.2: Debian 13, openSUSE Tumbleweed.
    V4_0_2,
    /// 4.1.2: Ubuntu 26.04 LTS, Arch, Alpine.
    V4_1_2,
    /// 4.2.1: Fedora 44, Debian sid.
    V4_2_1,
}

impl Line {
    /// Every line, oldest first.
    pub const ALL: [Line; 5] = [Line::V3_0_9, Line::V3_1_2, Line::V4_0_2, Line::V4_1_2, Line::V4_2_1];
    /// The newest line: what a Rust program gets unless it asks for another.
    pub const NEWEST: Line = Line::V4_2_1;

    /// The release's version, as "4.2.1".
    pub const fn version(self) -> &'static str {
        match self {
            Line::V3_0_9 => "3.0.9",
            Line::V3_1_2 => "3.1.2",
            Line::V4_0_2 => "4.0.2",
            Line::V4_1_2 => "4.1.2",
            Line::V4_2_1 => "4.2.1",
        }
    }

    /// The newest line at or below an upstream version such as "4.0.5" (a distribution's
    /// point release behaves as its line); None for versions older than 3.0.9 or unreadable.
    pub fn at_or_below(version: &str) -> Option<Line> {
        let wanted = parse_version(version)?;
        Line::ALL.into_iter().rev().find(|line| parse_version(line.version()).is_some_and(|v| v <= wanted))
    }
}

fn parse_version(version: &str) -> Option<(u32, u32, u32)> {
    let mut parts = version.trim().split('.').map(|p| p.parse::<u32>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    Some((major, minor, patch))
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.version())
    }
}

/// A version that names no line exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLine(pub String);

impl fmt::Display for UnknownLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown release line {:?}; the lines are", self.0)?;
        for line in Line::ALL {
            write!(f, " {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownLine {}

impl FromStr for Line {
    type Err = UnknownLine;

    /// Exactly one of the lines' versions, as "3.1.2".
    fn from_str(s: &str) -> Result<Line, UnknownLine> {
        Line::ALL.into_iter().find(|line| line.version() == s).ok_or_else(|| UnknownLine(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_map_to_the_line_at_or_below() {
        assert_eq!(Line::at_or_below("3.0.9"), Some(Line::V3_0_9));
        assert_eq!(Line::at_or_below("3.1.3"), Some(Line::V3_1_2));
        assert_eq!(Line::at_or_below("4.0.5"), Some(Line::V4_0_2));
        assert_eq!(Line::at_or_below("4.0"), Some(Line::V3_1_2));
        assert_eq!(Line::at_or_below("4.1.2"), Some(Line::V4_1_2));
        assert_eq!(Line::at_or_below("5.0"), Some(Line::V4_2_1));
        assert_eq!(Line::at_or_below("3.0.7"), None);
        assert_eq!(Line::at_or_below("x"), None);
    }

    #[test]
    fn lines_parse_exactly_and_compare_by_age() {
        for line in Line::ALL {
            assert_eq!(line.version().parse::<Line>(), Ok(line));
        }
        let err = "4.0".parse::<Line>().unwrap_err().to_string();
        assert!(err.contains("\"4.0\"") && err.contains("3.0.9 3.1.2 4.0.2 4.1.2 4.2.1"), "{err}");
        assert!(Line::V4_0_2 > Line::V3_1_2 && Line::NEWEST == *Line::ALL.last().unwrap());
    }
}
