"""Common given names and surnames from several countries: ordinary customers for the
screening test set (non-list names) and the synthetic re-screen in the benchmark."""

FIRST = ("James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
         "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Emma Olivia Noah Liam Sophie "
         "Lukas Anna Jan Eva Pierre Claire Giulia Marco Sofia Mateo Lucia Pablo Carmen Ingrid "
         "Lars Sven Astrid Hiroshi Yuki Wei Mei Raj Priya Arjun Ananya Chidi Ngozi Kwame Ama "
         "Tomasz Agnieszka Oliver Amelia Harry Isla Jack Grace Hannah Felix Clara Nils Greta").split()
LAST = ("Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
        "Martin Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King "
        "Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips "
        "Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper "
        "Peterson Bailey Reed Kelly Howard Cox Ward Richardson Watson Brooks Wood James Bennett "
        "Gray Hughes Price Sanders Myers Long Ross Foster Mueller Schneider Fischer Weber Becker "
        "Hoffmann Dubois Moreau Laurent Bernard Rossi Bianchi Ferrari Esposito Jensen Nielsen "
        "Hansen Larsen Andersson Johansson Lindqvist Tanaka Suzuki Takahashi Watanabe Nakamura "
        "Kowalski Nowak Wisniewski Novak Svoboda Dvorak Okafor Mensah Boateng Patel Sharma Iyer "
        "Chen Wang Zhang Liu Huang Zhou Nguyen Tran Pham Costa Silva Santos Oliveira Pereira").split()
