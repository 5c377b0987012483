; Inno Setup script: wraps the PyInstaller folder dist\cbs into a Windows installer.
[Setup]
AppName=CBS Python
AppVersion=0.1.0
DefaultDirName={autopf}\CBS Python
DefaultGroupName=CBS Python
OutputBaseFilename=cbs-python-setup
Compression=lzma2
SolidCompression=yes

[Files]
Source: "..\dist\cbs\*"; DestDir: "{app}"; Flags: recursesubdirs

[Icons]
Name: "{group}\CBS Python"; Filename: "{app}\cbs.exe"; Parameters: "desk"
